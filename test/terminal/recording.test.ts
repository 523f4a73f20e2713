// Terminal session recordings end to end: a real porthole, a real shell, a real WebSocket, the download API.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { createWebSession, SESSION_COOKIE } from "../../src/auth/web-sessions.ts";
import { byteSize } from "../../src/http/ui/views/format.ts";
import { users } from "../../src/store/schema.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { TerminalClient, terminalWsUrl } from "../support/terminal-client.ts";
import { createProject, jobStatus, json, type RunningJob, runJob, userWithRole } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

setDefaultTimeout(60_000); // jobs start through the real runner; a loaded machine is slow

const SECRET = "Zq7xK2mP9wLb"; // 12 characters: masked in logs and recordings
const LIMIT_LINE = "[porthole: recording stopped at the size limit]";

type Event = [number, string, string];
type Listed = { id: number; recording_path: string | null; recording_url: string | null };

/** Header and events of an asciicast v3 text; throws when a line is not JSON of the right shape. */
function parseCast(text: string): { header: Record<string, unknown>; events: Event[] } {
  const [head, ...lines] = text.trimEnd().split("\n");
  const header = JSON.parse(head!) as Record<string, unknown>;
  const events = lines.map((line) => JSON.parse(line) as Event);
  for (const e of events)
    expect(typeof e[0] === "number" && typeof e[1] === "string" && typeof e[2] === "string").toBe(true);
  return { header, events };
}
const outputOf = (events: Event[]) =>
  events
    .filter((e) => e[1] === "o")
    .map((e) => e[2])
    .join("");

/** Opens the job's terminal as root, runs `session` in it, lets the script finish and closes; returns the list row. */
async function recordSession(
  t: TestPorthole,
  job: RunningJob,
  session: (c: TerminalClient) => Promise<void>,
): Promise<Listed> {
  const c = new TerminalClient(terminalWsUrl(t.url, job.jobPath), { token: t.rootToken });
  await c.control("hello");
  await session(c);
  c.type("touch go\n");
  await c.close();
  await waitFor("the job to succeed", async () => jobStatus(t, job.jobId) === "success");
  const rows = await json<Listed[]>(t.api(`/projects/${job.projectId}/terminal_sessions`));
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

/** The recording's text once it holds `marker` (the file is appended to asynchronously). */
function downloadWhen(t: TestPorthole, row: Listed, marker: string): Promise<string> {
  return waitFor(`a recording with ${marker}`, async () => {
    const res = await fetch(row.recording_url!, { headers: { "PRIVATE-TOKEN": t.rootToken } });
    const text = await res.text();
    return res.ok && text.includes(marker) && text.endsWith("\n") && text;
  });
}

describe("terminal recordings", () => {
  let t: TestPorthole;
  beforeAll(async () => (t = await startTestPorthole({ runner: { concurrent: 4 } })));
  afterAll(() => t?.stop());

  test("mark a breakpoint's wait as a hold from the session's start, and Continue as its resume", async () => {
    const yaml = "fixable:\n  script:\n    - test -f fixed-by-hand\n    - echo the-script-went-on\n";
    const project = await createProject(t, "rec-breakpoint", yaml);
    const pipeline = await json<{ id: number }>(
      t.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" } }),
    );
    const [failed] = await json<{ id: number }[]>(t.api(`/projects/${project.id}/pipelines/${pipeline.id}/jobs`));
    await waitFor("the first try to fail", async () => jobStatus(t, failed!.id) === "failed");
    const retry = await json<{ id: number }>(
      t.api(`/projects/${project.id}/jobs/${failed!.id}/retry`, {
        method: "POST",
        json: { debug_breakpoint: "script:1" },
      }),
    );
    const trace = async () => (await t.api(`/projects/${project.id}/jobs/${retry.id}/trace`)).text();
    await waitFor("the breakpoint", async () => (await trace()).includes("Paused before script line 1"));
    // The job waits (its page offers the breakpoint's terminal) before the session starts.
    const root = t.porthole.store.db.select().from(users).where(eq(users.username, "root")).get()!;
    const cookie = `${SESSION_COOKIE}=${createWebSession(t.porthole.store.db, root.id, {}).cookieValue}`;
    const jobPage = async () =>
      (await fetch(`${t.url}/${project.path}/-/jobs/${retry.id}`, { headers: { cookie } })).text();
    await waitFor("the job to wait at the breakpoint", async () => (await jobPage()).includes("Debug the breakpoint"));
    const c = new TerminalClient(terminalWsUrl(t.url, `/${project.path}/-/jobs/${retry.id}`), { token: t.rootToken });
    await c.control("hello");
    c.type("touch fixed-by-hand; echo fixed-''now\n");
    await c.until(/fixed-now/);
    expect((await t.api(`/projects/${project.id}/jobs/${retry.id}/continue`, { method: "POST" })).status).toBe(200);
    await waitFor("the script to go on", async () => (await trace()).includes("the-script-went-on"));
    await c.close();
    await waitFor("the retry to succeed", async () => jobStatus(t, retry.id) === "success");
    const rows = await json<Listed[]>(t.api(`/projects/${project.id}/terminal_sessions`));
    const { events } = parseCast(await downloadWhen(t, rows[0]!, "fixed-now"));
    const marks = events.filter((e) => e[1] === "m").map((e) => e[2]);
    expect(marks.slice(0, 2)).toEqual(["hold", "resume"]);
    expect(events[0]).toEqual([expect.any(Number), "m", "hold"]);
  });

  test("mark the job's hold and its resume, and end with the shell's exit event", async () => {
    const job = await runJob(t, await createProject(t, "rec-marks"));
    const trace = async () => (await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/trace`)).text();
    const c = new TerminalClient(terminalWsUrl(t.url, job.jobPath), { token: t.rootToken });
    await c.control("hello");
    c.type("touch go; echo before-''hold\n");
    await waitFor("the hold to start", async () => (await trace()).includes("Terminal is connected"));
    c.type("echo during-''hold; exit 7\n");
    await c.closed;
    await waitFor("the job to succeed", async () => jobStatus(t, job.jobId) === "success");
    const [row] = await json<Listed[]>(t.api(`/projects/${job.projectId}/terminal_sessions`));
    const { events } = parseCast(await downloadWhen(t, row!, '"x"'));
    const kinds = events.filter((e) => e[1] !== "o").map((e) => `${e[1]}:${e[2]}`);
    expect(kinds).toEqual(["m:hold", "x:7", "m:resume"]);
    const output = outputOf(events);
    expect(output.indexOf("before-hold")).toBeLessThan(output.indexOf("during-hold"));
  });

  test("keep the output and resizes, mask the secret, leave out input, and are for Maintainers of the project", async () => {
    const project = await createProject(t, "rec");
    await json(
      t.api(`/projects/${project.id}/variables`, {
        method: "POST",
        json: { key: "SECRET_VAR", value: SECRET, masked: true },
      }),
    );
    const job = await runJob(t, project);
    let live = "";
    const row = await recordSession(t, job, async (c) => {
      c.resize(97, 31);
      c.type("echo hello-''rec; echo $SECRET_VAR; stty size\n");
      await c.until(/31 97/);
      // Typed while the terminal does not echo: the shell reads it, so only a recorded input could show it.
      c.type("stty -echo; echo rea''dy; read -r hidden; stty echo; echo got-${#hidden}\n");
      await c.until(/ready/);
      c.type("typed-never-shown\n");
      await c.until(/got-17/);
      live = c.text;
    });
    expect(live).toContain(SECRET); // the shell did print it: the recording below had something to mask
    expect(row.recording_path).toBe(`recordings/job-${job.jobId}-1.cast`);
    expect(row.recording_url).toBe(`${t.url}/api/v4/projects/${project.id}/terminal_sessions/${row.id}/recording`);

    const text = await downloadWhen(t, row, "got-17");
    const { header, events } = parseCast(text);
    expect(header).toMatchObject({ version: 3, term: { cols: 80, rows: 24, type: "xterm-256color" } });
    expect(events.every((e) => e[0] >= 0)).toBe(true); // v3: intervals since the event before
    expect(events).toContainEqual([expect.any(Number), "r", "97x31"]);
    const output = outputOf(events);
    expect(output).toContain("hello-rec");
    expect(output).toContain("[MASKED]");
    expect(output).toContain("31 97");
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("typed-never-shown");

    const res = await fetch(row.recording_url!, { headers: { "PRIVATE-TOKEN": t.rootToken } });
    expect(res.headers.get("content-type")).toBe("application/x-asciicast");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="job-${job.jobId}-1.cast"`);

    const maintainer = await userWithRole(t, "rec-maintainer", project.id, 40);
    const developer = await userWithRole(t, "rec-developer", project.id, 30);
    const path = `/projects/${project.id}/terminal_sessions/${row.id}/recording`;
    expect(await (await t.api(path, { token: maintainer.token })).text()).toBe(text);
    expect((await t.api(path, { token: developer.token })).status).toBe(403);
    const other = await createProject(t, "rec-other");
    expect((await t.api(`/projects/${other.id}/terminal_sessions/${row.id}/recording`)).status).toBe(404);
    expect((await t.api(`/projects/${project.id}/terminal_sessions/${row.id + 1000}/recording`)).status).toBe(404);
  });

  test("the admin page links each recorded session, and the link downloads with the sign-in cookie", async () => {
    const root = t.porthole.store.db.select().from(users).where(eq(users.username, "root")).get()!;
    const cookie = `${SESSION_COOKIE}=${createWebSession(t.porthole.store.db, root.id, {}).cookieValue}`;
    const page = await (await fetch(`${t.url}/admin/terminal_sessions`, { headers: { cookie } })).text();
    const link = page.match(/href="(\/api\/v4\/projects\/\d+\/terminal_sessions\/\d+\/recording)"/);
    expect(link).not.toBeNull();
    const res = await fetch(`${t.url}${link![1]}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(parseCast(await res.text()).header).toMatchObject({ version: 3 });
    // The total of what is kept, from the files themselves.
    const folder = join(t.dataDir, "recordings");
    const files = readdirSync(folder).filter((f) => f.endsWith(".cast"));
    const bytes = files.reduce((sum, f) => sum + statSync(join(folder, f)).size, 0);
    const total = page.match(/Recordings: (\d+) files?, ([^<·]+?) ·/);
    expect(total?.slice(1)).toEqual([String(files.length), byteSize(bytes)]);
    expect(page).toContain("kept until removed (terminal.recording_retention is 0)");
  });
});

describe("a recording with a small size cap", () => {
  let t: TestPorthole;
  beforeAll(async () => (t = await startTestPorthole({ terminal: { max_recording_bytes: 2000 } })));
  afterAll(() => t?.stop());

  test("stops near the cap with a last line that says so, while the terminal goes on", async () => {
    const job = await runJob(t, await createProject(t, "flood"));
    const row = await recordSession(t, job, async (c) => {
      c.type("yes | head -c 100000; echo flood-''done\n");
      await c.until(/flood-done/);
    });
    const text = await downloadWhen(t, row, LIMIT_LINE);
    const { events } = parseCast(text);
    expect(events.at(-1)![2]).toContain(LIMIT_LINE);
    expect(outputOf(events)).not.toContain("flood-done");
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2000 + 100);
    expect(Buffer.byteLength(text)).toBeGreaterThan(1900);
  });
});
