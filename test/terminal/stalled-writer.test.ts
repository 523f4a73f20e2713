// A writer that stops reading (here: stops acknowledging) is dropped after the stall limit; viewers keep going.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { DEFAULT_FLOW } from "../../src/session/flow-limits.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { TerminalClient, terminalWsUrl } from "../support/terminal-client.ts";
import { createProject, runJob } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

setDefaultTimeout(60_000);

let t: TestPorthole;
beforeAll(async () => (t = await startTestPorthole()));
afterAll(() => t?.stop());

test("a stalled writer is closed with too_slow after the stall limit and the session goes on for a fast viewer", async () => {
  const job = await runJob(t, await createProject(t, "stalled-writer"));
  const writer = new TerminalClient(terminalWsUrl(t.url, job.jobPath, { flow: "ack", mode: "rw" }), {
    token: t.rootToken,
  });
  await writer.control("hello");
  const viewer = new TerminalClient(terminalWsUrl(t.url, job.jobPath, { mode: "ro" }), { token: t.rootToken });
  await viewer.control("hello");
  writer.type("yes tick\n"); // and never acknowledge a byte of it
  const startedAt = Date.now();
  expect(await writer.control("closing", 20_000)).toEqual({ type: "closing", reason: "too_slow" });
  expect(Date.now() - startedAt).toBeGreaterThanOrEqual(DEFAULT_FLOW.stallMs - 100);
  const afterDrop = viewer.received;
  await waitFor("the viewer to keep receiving", async () => viewer.received - afterDrop > 1 << 20, 15_000);
  expect(viewer.controls.find((c) => c.type === "closing")).toBeUndefined();
  expect(viewer.controls.at(-1)).toMatchObject({ type: "presence", writers: 0, viewers: 1 });
  await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
  await viewer.closed;
});
