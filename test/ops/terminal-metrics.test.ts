// /-/metrics counts open terminals, their viewers, the bytes relayed to them and the recordings on disk.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { TerminalClient, terminalWsUrl } from "../support/terminal-client.ts";
import { createProject, runJob } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

let t: TestPorthole;
beforeAll(async () => (t = await startTestPorthole()));
afterAll(() => t?.stop());

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${t.url}/-/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return Number(line?.split(" ")[1]);
}

test("a writer and a watcher on one job: one terminal, two viewers, bytes relayed to both, a recording", async () => {
  const job = await runJob(t, await createProject(t, "metered-terminal"));
  const url = terminalWsUrl(t.url, job.jobPath);
  const writer = new TerminalClient(url, { token: t.rootToken });
  await writer.opened;
  const watcher = new TerminalClient(url, { token: t.rootToken });
  await watcher.opened;
  await watcher.control("hello");
  writer.type("echo metric-marker-$((6*7))\n");
  await writer.until(/metric-marker-42/);
  await watcher.until(/metric-marker-42/);

  expect(await metric("porthole_terminals_open")).toBe(1);
  expect(await metric("porthole_terminal_viewers")).toBe(2);
  const relayed = await metric("porthole_terminal_relayed_bytes_total");
  expect(relayed).toBeGreaterThanOrEqual(2 * "metric-marker-42".length);
  expect(relayed).toBeLessThanOrEqual(writer.received + watcher.received);

  writer.type("touch go\n");
  await writer.until(/touch go/);
  await Promise.all([writer.close(), watcher.close()]); // the job, held while they are attached, then ends
  await waitFor("the session to end", async () => (await metric("porthole_terminals_open")) === 0);
  expect(await metric("porthole_terminal_viewers")).toBe(0);
  expect(await metric("porthole_terminal_relayed_bytes_total")).toBeGreaterThanOrEqual(relayed);
  expect(await metric("porthole_recordings_bytes")).toBeGreaterThan(0);
}, 60_000);
