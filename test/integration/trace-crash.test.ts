// kill -9 while 20 jobs print and followers watch live: after a restart the log holds every byte a follower was
// shown, and a follower resuming at its offset gets exactly the rest (three rounds).
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServedPorthole, startPipeline, startServed } from "../support/served-porthole.ts";
import { followTrace, type TraceFollower } from "../support/trace-follower.ts";
import { waitFor } from "../support/wait.ts";

const JOBS = 20;
const CI_CONFIG = Array.from(
  { length: JOBS },
  (_, i) =>
    `printer-${i + 1}:\n  script:\n    - 'i=0; while true; do i=$((i+1)); echo "printer-${i + 1} line $i"; sleep 0.01; done'\n`,
).join("");
const FLAGS = ["--runner-concurrent", String(JOBS)];
const RESTART_LINE = "ERROR: Job failed: the porthole server stopped while the job was running";

const dirs: string[] = [];
let running: ServedPorthole | undefined;
afterAll(async () => {
  await running?.process.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function crashRound(round: number) {
  const dataDir = mkdtempSync(join(tmpdir(), "porthole-trace-crash-"));
  dirs.push(dataDir);
  const server = await startServed(dataDir, FLAGS);
  running = server;
  const { project, jobs } = await startPipeline(server, `crash-${round}`, CI_CONFIG);
  expect(jobs.length).toBe(JOBS);
  const followers = new Map<number, TraceFollower>(
    jobs.map((j) => [j.id, followTrace(server.url, server.token, project.id, j.id)]),
  );
  await waitFor(
    "every job to have printed a few lines to its follower",
    async () =>
      [...followers.values()].every(
        (f) =>
          (
            f
              .bytes()
              .toString()
              .match(/ line \d+\n/g) ?? []
          ).length >= 5,
      ),
    60_000,
  );
  await Bun.sleep(Math.random() * 300);
  process.kill(server.process.pid, "SIGKILL");
  await server.process.stop();
  for (const f of followers.values()) expect(await f.ended).toHaveProperty("error");
  const shown = new Map([...followers].map(([id, f]) => [id, f.bytes()]));

  const restarted = await startServed(dataDir, FLAGS);
  running = restarted;
  for (const [jobId, seen] of shown) {
    const trace = Buffer.from(await (await restarted.api(`/projects/${project.id}/jobs/${jobId}/trace`)).arrayBuffer());
    expect({ job: jobId, prefix: trace.subarray(0, seen.length).toString() }).toEqual({
      job: jobId,
      prefix: seen.toString(),
    });
    const resumed = followTrace(restarted.url, restarted.token, project.id, jobId, seen.length);
    expect(await resumed.ended).toEqual({ end: "failed" });
    expect(Buffer.concat([seen, resumed.bytes()]).equals(trace)).toBe(true);
    expect(resumed.bytes().toString()).toContain(RESTART_LINE);
    // The restart's line comes after whole lines: the stored log never ends inside a line the follower saw.
    const before = trace.toString().slice(0, trace.toString().indexOf(`\n\x1b[31;1m${RESTART_LINE}`));
    expect(before.split(`printer-`).at(-1)).toMatch(/^\d+ line \d+\n$/);
  }
  await restarted.process.stop();
  running = undefined;
}

test("every byte followers were shown survives kill -9, and resuming at the received offset continues exactly", async () => {
  for (let round = 1; round <= 3; round++) await crashRound(round);
}, 300_000);
