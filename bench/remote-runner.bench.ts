// Remote runners against the embedded one, side by side on one server: create → first log byte, jobs/s, and the
// Debug terminal through the server's pinned-TLS proxy to a `porthole runner` session server.
import { firstTraceByteMs } from "./lib/first-trace-byte.ts";
import { jobsPerSecond } from "./lib/jobs-per-second.ts";
import { type BenchRunner, startBenchRunner } from "./lib/remote-runner.ts";
import { type BenchServer, startBenchServer } from "./lib/server.ts";
import { median, percentile, round } from "./lib/stats.ts";
import type { Bench } from "./lib/types.ts";
import {
  type BenchTerminal,
  connectPorthole,
  echoLatencies,
  rawEcho,
  throughputMBps,
  WARMUP_KEYS,
} from "./terminal-client.ts";

const PICKUP_RUNS = 40;
const WARMUP = 3;
const PIPELINES = 5;
const JOBS_PER_PIPELINE = 20;
/** Raw bytes the job writes; the terminal `cat`s them base64-encoded (4/3 as many bytes, no newlines). */
const PAYLOAD_RAW = 15_000_000;
const PAYLOAD_BYTES = (PAYLOAD_RAW / 3) * 4;
const ROUNDS = 5;
const KEYS = 1000;
const MARKER = "__DONE__";
const CAT = `cat "$CI_PROJECT_DIR/payload.b64"; echo __DO""NE__`;
const REMOTE = "remote";

/** `tags: [remote]` sends a job to the remote runners only; untagged jobs go to the embedded runner only. */
const tagged = (remote: boolean) => (remote ? `  tags: [${REMOTE}]\n` : "");
const echoJob = (remote: boolean) => `first-byte:\n${tagged(remote)}  script:\n    - echo hello\n`;
const shortJobs = (remote: boolean) =>
  Array.from(
    { length: JOBS_PER_PIPELINE },
    (_, i) => `job-${i + 1}:\n${tagged(remote)}  script:\n    - echo ${i}\n`,
  ).join("");
const terminalJob = (remote: boolean) =>
  `hold:\n${tagged(remote)}  script:\n    - head -c ${PAYLOAD_RAW} /dev/urandom | base64 -w0 > payload.b64\n    - echo "payload-$((6*7))"\n    - while [ ! -f go ]; do sleep 0.5; done\n`;

type Project = { id: number; path_with_namespace: string };

async function project(server: BenchServer, name: string, ciConfig: string): Promise<Project> {
  return server.api<Project>("POST", "/projects", { name, ci_config: ciConfig });
}

async function pickupMs(server: BenchServer, p: Project): Promise<number> {
  const started = performance.now();
  const pipeline = await server.api<{ id: number }>("POST", `/projects/${p.id}/pipeline`, { ref: "main" });
  return firstTraceByteMs(server, p.id, pipeline.id, started);
}

/** A running job holding its terminal open, with a payload file to `cat`; the terminal is connected. */
async function heldTerminal(server: BenchServer, p: Project): Promise<BenchTerminal> {
  const pipeline = await server.api<{ id: number }>("POST", `/projects/${p.id}/pipeline`, { ref: "main" });
  const [job] = await server.api<{ id: number }[]>("GET", `/projects/${p.id}/pipelines/${pipeline.id}/jobs`);
  if (!job) throw new Error(`pipeline ${pipeline.id} has no job`);
  for (const deadline = Date.now() + 120_000; ; await Bun.sleep(200)) {
    const log = await (
      await fetch(`${server.url}/api/v4/projects/${p.id}/jobs/${job.id}/trace`, {
        headers: { "PRIVATE-TOKEN": server.token },
      })
    ).text();
    if (log.includes("payload-42")) break;
    if (Date.now() > deadline) throw new Error(`job ${job.id} did not write its payload; log:\n${log}`);
  }
  return connectPorthole(server, `/${p.path_with_namespace}/-/jobs/${job.id}`);
}

const ms = (v: number) => round(v, 2);

const bench: Bench = {
  name: "remote-runner",
  description:
    "Embedded runner vs `porthole runner` (shell executor, loopback): create → first log byte, jobs/s, Debug terminal through the pinned-TLS proxy",
  async run() {
    const server = await startBenchServer(["--runner-concurrent", "8"]);
    const runners: BenchRunner[] = [];
    try {
      for (const name of ["remote-1", "remote-2"])
        runners.push(await startBenchRunner(server, { name, tags: [REMOTE], concurrent: 4 }));

      // Pickup: paired runs, embedded then remote, one at a time (the machine's speed drifts between pairs).
      const local = await project(server, "pickup-embedded", echoJob(false));
      const remote = await project(server, "pickup-remote", echoJob(true));
      for (let i = 0; i < WARMUP; i++) await Promise.all([pickupMs(server, local), pickupMs(server, remote)]);
      const embeddedMs: number[] = [];
      const remoteMs: number[] = [];
      for (let i = 0; i < PICKUP_RUNS; i++) {
        embeddedMs.push(await pickupMs(server, local));
        remoteMs.push(await pickupMs(server, remote));
      }
      const added = remoteMs.map((r, i) => r - embeddedMs[i]!);

      // Jobs per second: the embedded runner at concurrent 8, then the 2 remote runners × concurrent 4.
      const manyLocal = await project(server, "rate-embedded", shortJobs(false));
      const manyRemote = await project(server, "rate-remote", shortJobs(true));
      const rateLocal = await jobsPerSecond(server, manyLocal.id, PIPELINES, JOBS_PER_PIPELINE);
      const rateRemote = await jobsPerSecond(server, manyRemote.id, PIPELINES, JOBS_PER_PIPELINE);

      // Terminals: one on an embedded job, one proxied to a remote job's session server; rounds alternate.
      const termLocal = await heldTerminal(server, await project(server, "term-embedded", terminalJob(false)));
      const termRemote = await heldTerminal(server, await project(server, "term-remote", terminalJob(true)));
      const mbps = { local: [] as number[], remote: [] as number[], ratios: [] as number[] };
      for (const t of [termLocal, termRemote]) t.type("stty -echo\r");
      for (let i = 0; i < ROUNDS; i++) {
        mbps.local.push(await throughputMBps(termLocal, CAT, MARKER, PAYLOAD_BYTES));
        mbps.remote.push(await throughputMBps(termRemote, CAT, MARKER, PAYLOAD_BYTES));
        mbps.ratios.push(mbps.remote.at(-1)! / mbps.local.at(-1)!); // paired: the shared machine's speed drifts
      }
      // Echo: keys alternate between the two terminals, so both see the same moment of a shared machine.
      await rawEcho([termLocal, termRemote]);
      const [echoLocal, echoRemote] = await echoLatencies([termLocal, termRemote], KEYS);
      const echo = { local: echoLocal!, remote: echoRemote! };
      for (const t of [termLocal, termRemote]) t.close();

      return {
        metrics: [
          { name: "create → first log byte, embedded, median", value: ms(median(embeddedMs)), unit: "ms" },
          { name: "create → first log byte, remote, median", value: ms(median(remoteMs)), unit: "ms" },
          { name: "create → first log byte, remote, p95", value: ms(percentile(remoteMs, 95)), unit: "ms" },
          {
            name: "remote pickup adds (median of paired differences)",
            value: ms(median(added)),
            unit: "ms",
            target: { below: 100 },
          },
          {
            name: "remote / embedded first byte (medians)",
            value: round(median(remoteMs) / median(embeddedMs), 2),
            unit: "×",
          },
          { name: "jobs/s, embedded runner × concurrent 8", value: round(rateLocal.jobsPerSecond), unit: "jobs/s" },
          { name: "jobs/s, 2 remote runners × concurrent 4", value: round(rateRemote.jobsPerSecond), unit: "jobs/s" },
          {
            name: "remote / embedded jobs/s",
            value: round(rateRemote.jobsPerSecond / rateLocal.jobsPerSecond, 2),
            unit: "×",
          },
          { name: "terminal throughput, embedded", value: round(median(mbps.local)), unit: "MB/s" },
          { name: "terminal throughput, through the proxy", value: round(median(mbps.remote)), unit: "MB/s" },
          {
            name: "proxied / embedded throughput (median of paired rounds)",
            value: round(median(mbps.ratios), 2),
            unit: "×",
          },
          { name: "echo p50, embedded", value: ms(percentile(echo.local, 50)), unit: "ms" },
          { name: "echo p99, embedded", value: ms(percentile(echo.local, 99)), unit: "ms" },
          { name: "echo p50, through the proxy", value: ms(percentile(echo.remote, 50)), unit: "ms" },
          { name: "echo p99, through the proxy", value: ms(percentile(echo.remote, 99)), unit: "ms" },
          {
            name: "proxy adds to echo p50",
            value: round(percentile(echo.remote, 50) - percentile(echo.local, 50), 3),
            unit: "ms",
            target: { below: 0.2 },
          },
        ],
        notes: [
          "one server (runner.concurrent 8, embedded) and two `porthole runner` processes (concurrent 4 each, tag `remote`, run_untagged off) on loopback; untagged jobs go to the embedded runner, tagged ones to the remote runners",
          `first byte: ${PICKUP_RUNS} paired runs (embedded then remote) of a one-job echo pipeline, ${WARMUP} warm-up pairs not counted; includes the POST, listing the jobs and opening the log stream`,
          `jobs/s: ${PIPELINES} pipelines × ${JOBS_PER_PIPELINE} echo jobs each, first create → last finished_at`,
          `terminal: ${PAYLOAD_BYTES / 1e6} MB base64 cat, ${ROUNDS} alternating rounds; echo: ${KEYS} keys per terminal (after ${WARMUP_KEYS} not counted), alternating between the two, kernel echo in raw mode, 5 ms apart`,
        ],
      };
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
      await server.stop();
    }
  },
};

export default bench;
