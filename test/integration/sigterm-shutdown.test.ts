// SIGTERM with live log followers and a terminal attached: every follower gets `end`, the terminal is closed with
// `server_stopping`, and the server exits 0 within 10 s (several rounds; one in five followers used to be reset).
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServedPorthole, startPipeline, startServed } from "../support/served-porthole.ts";
import { TerminalClient, terminalWsUrl } from "../support/terminal-client.ts";
import { json } from "../support/terminal-jobs.ts";
import { followTrace } from "../support/trace-follower.ts";
import { waitFor } from "../support/wait.ts";

const RUNNING = 4;
const CI_CONFIG = Array.from(
  { length: RUNNING + 1 }, // one more than the runner takes at once: its follower watches a pending job
  (_, i) => `ticker-${i + 1}:\n  script:\n    - 'while true; do echo "tick $(date +%s%N)"; sleep 0.01; done'\n`,
).join("");

const dirs: string[] = [];
let running: ServedPorthole | undefined;
afterAll(async () => {
  await running?.process.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function shutdownRound(round: number) {
  const dataDir = mkdtempSync(join(tmpdir(), "porthole-sigterm-"));
  dirs.push(dataDir);
  const server = await startServed(dataDir, ["--runner-concurrent", String(RUNNING)]);
  running = server;
  const { project, jobs } = await startPipeline(server, `stop-${round}`, CI_CONFIG);
  // Two followers per job (ten in all), among them two of the job that never starts.
  const followers = jobs.flatMap((j) => [0, 1].map(() => followTrace(server.url, server.token, project.id, j.id)));
  await waitFor(
    `${RUNNING} jobs to print to their followers`,
    async () => followers.filter((f) => f.bytes().includes("tick ")).length >= RUNNING * 2,
    60_000,
  );
  const terminal = new TerminalClient(
    terminalWsUrl(server.url, `/${project.path_with_namespace}/-/jobs/${jobs[0]!.id}`),
    { token: server.token },
  );
  await terminal.control("hello");

  const signalled = Date.now();
  process.kill(server.process.pid, "SIGTERM");
  const ends = await Promise.all(followers.map((f) => f.ended));
  const code = await server.process.exited;
  running = undefined;
  expect({ round, ends: ends.map((e) => ("end" in e ? "end" : e.error)) }).toEqual({
    round,
    ends: Array(followers.length).fill("end"),
  });
  expect(await terminal.control("closing")).toEqual({ type: "closing", reason: "server_stopping" });
  expect((await terminal.closed).reason).toBe("server_stopping");
  expect(code).toBe(0);
  expect(Date.now() - signalled).toBeLessThan(10_000);
}

test("SIGTERM ends every SSE follower with `end`, closes terminals with server_stopping, and exits 0", async () => {
  for (let round = 1; round <= 3; round++) await shutdownRound(round);
}, 300_000);

/** Opens a live log stream by hand and never reads it: the server's writes back up (a frozen client). */
function stalledFollower(server: ServedPorthole, path: string): Socket {
  const { hostname, port } = new URL(server.url);
  const socket = connect(Number(port), hostname, () =>
    socket.write(`GET /api/v4${path} HTTP/1.1\r\nHost: ${hostname}\r\nPRIVATE-TOKEN: ${server.token}\r\n\r\n`),
  );
  socket.pause();
  socket.on("error", () => {});
  return socket;
}

/** A server with a finished job of ~20 MB of log and a client stalled reading it; resolves at SIGTERM time. */
async function stopWithStalledClient(secondSignalAfterMs?: number) {
  const dataDir = mkdtempSync(join(tmpdir(), "porthole-sigterm-stalled-"));
  dirs.push(dataDir);
  const server = await startServed(dataDir);
  running = server;
  const project = await json<{ id: number }>(
    server.api("/projects", { method: "POST", json: { name: "big", ci_config: "big:\n  script: [seq 1 3000000]\n" } }),
  );
  await json(server.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" } }));
  const job = await waitFor("the big job to succeed", async () => {
    const [j] = await json<{ id: number; status: string }[]>(server.api(`/projects/${project.id}/jobs`));
    return j?.status === "success" && j;
  });
  const socket = stalledFollower(server, `/projects/${project.id}/jobs/${job.id}/trace/stream`);
  await Bun.sleep(1000); // the server writes until the socket buffers are full
  const signalled = Date.now();
  process.kill(server.process.pid, "SIGTERM");
  if (secondSignalAfterMs !== undefined) {
    await Bun.sleep(secondSignalAfterMs);
    process.kill(server.process.pid, "SIGTERM");
  }
  const code = await server.process.exited;
  running = undefined;
  socket.destroy();
  return { code, ms: Date.now() - signalled };
}

test("a client that stops reading delays the stop by a bounded grace only; a second SIGTERM exits at once", async () => {
  const slow = await stopWithStalledClient();
  expect(slow.code).toBe(0);
  expect(slow.ms).toBeLessThan(10_000);
  const hurried = await stopWithStalledClient(300);
  expect(hurried.code).toBe(143);
  expect(hurried.ms).toBeLessThan(slow.ms - 1000);
}, 120_000);
