// Who writes a shared terminal: every connection learns the session's size, the writer leaving lets a watcher take
// control, the writer hands control to a named watcher, the one replaced is told, and both are audited.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../src/store/schema.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { type Control, TerminalClient, terminalWsUrl } from "../support/terminal-client.ts";
import { createProject, type RunningJob, runJob, userWithRole } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

setDefaultTimeout(60_000);

let t: TestPorthole;
let job: RunningJob;
let ann: { id: number; token: string };
let bob: { id: number; token: string };
beforeAll(async () => {
  t = await startTestPorthole();
  const project = await createProject(t, "control");
  ann = await userWithRole(t, "ann", project.id, 40);
  bob = await userWithRole(t, "bob", project.id, 40);
  job = await runJob(t, project);
});
afterAll(async () => {
  await t?.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
  await t?.stop();
});

const open = (token: string, query: Record<string, string>) =>
  new TerminalClient(terminalWsUrl(t.url, job.jobPath, query), { token });
const last = (c: TerminalClient, type: string) => c.controls.filter((m) => m.type === type).at(-1);
const roles = (m: Control | undefined) =>
  (m?.participants as { user: string; mode: string }[] | undefined)?.map((p) => `${p.user}:${p.mode}`);

test("watchers get the writer's size on join and on each resize, whatever size they asked for", async () => {
  const writer = open(t.rootToken, { mode: "rw", cols: "132", rows: "40" });
  await writer.control("hello");
  const watcher = open(ann.token, { mode: "ro", cols: "60", rows: "20" });
  expect(await watcher.control("hello")).toMatchObject({ mode: "ro", cols: 132, rows: 40 });
  watcher.resize(50, 10); // ignored: only the writer sizes the session
  writer.resize(100, 30);
  expect(await watcher.control("size")).toEqual({ type: "size", cols: 100, rows: 30 });
  writer.type("stty size\n");
  await watcher.until(/30 100/);
  await watcher.close();
  await writer.close();
});

test("when the writer leaves a watcher takes control; the writer hands it over by name; each is told and audited", async () => {
  const root = open(t.rootToken, { mode: "rw" });
  await root.control("hello");
  const a = open(ann.token, { mode: "ro" });
  const b = open(bob.token, { mode: "ro" });
  await a.control("hello");
  const bHello = await b.control("hello");
  await waitFor("everyone in the presence", async () => roles(last(a, "presence"))?.length === 3);
  expect(roles(last(a, "presence"))).toEqual(["root:rw", "ann:ro", "bob:ro"]);

  await root.close();
  await waitFor("nobody writing", async () => last(a, "presence")?.writers === 0);
  a.ws.send(JSON.stringify({ type: "take_control" }));
  expect(await a.control("mode")).toEqual({ type: "mode", mode: "rw", by: "ann", self: true });
  a.type("echo ann-''writes\n");
  await b.until(/ann-writes/);

  a.ws.send(JSON.stringify({ type: "hand_over", to: bHello.you }));
  expect(await b.control("mode")).toEqual({ type: "mode", mode: "rw", by: "ann", self: false });
  await waitFor("ann told she watches", async () => last(a, "mode")?.mode === "ro");
  a.type("echo ann-''ignored\n");
  b.type("echo bob-''writes\n");
  await a.until(/bob-writes/);
  expect(a.text).not.toContain("ann-ignored");
  await waitFor("the roles to change", async () => roles(last(a, "presence"))?.join() === "ann:ro,bob:rw");

  // A watcher takes control from a writer who is still there: the writer keeps watching and is told who took it.
  a.ws.send(JSON.stringify({ type: "take_control" }));
  await waitFor("bob told", async () => last(b, "mode")?.mode === "ro");
  expect(last(b, "mode")).toEqual({ type: "mode", mode: "ro", by: "ann", self: false });
  expect(b.ws.readyState).toBe(WebSocket.OPEN);

  const trail = t.porthole.store.db
    .select()
    .from(auditEvents)
    .all()
    .filter((e) => e.action.startsWith("terminal_control_"))
    .map((e) => [e.action, e.actorName, e.details]);
  expect(trail).toEqual([
    ["terminal_control_taken", "ann", { from: null }],
    ["terminal_control_handed_over", "ann", { to: "bob" }],
    ["terminal_control_taken", "ann", { from: "bob" }],
  ]);
  expect(
    t.porthole.store.db.select().from(auditEvents).where(eq(auditEvents.action, "terminal_control_taken")).all()[0]!
      .targetId,
  ).toBe(String(job.jobId));
  await a.close();
  await b.close();
});
