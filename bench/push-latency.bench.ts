// Push latency: a commit pushed (`git push` to porthole, or a signed GitHub webhook for a mirrored project) → the
// pipeline exists → the first byte of its job's log on the live SSE stream.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { githubPush } from "../test/support/forge-webhooks.ts";
import { makeRepo } from "../test/support/git-repo.ts";
import { firstTraceByteMs } from "./lib/first-trace-byte.ts";
import { type BenchServer, startBenchServer } from "./lib/server.ts";
import { median, percentile, round } from "./lib/stats.ts";
import type { Bench, Metric } from "./lib/types.ts";

const RUNS = 20;
const WARMUP = 2;
const CI_CONFIG = "first-byte:\n  script:\n    - echo hello\n";

interface Sample {
  created: number;
  firstByte: number;
}

async function git(cwd: string, home: string, ...args: string[]) {
  const proc = Bun.spawn(["git", ...args], {
    cwd,
    env: { PATH: process.env.PATH!, HOME: home, GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1" },
    stdout: "ignore",
    stderr: "pipe",
  });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`git ${args[0]}: ${stderr}`);
}

/** Waits for the pipeline of `sha`; then ms from `started` to its creation and to its job's first log byte. */
async function measure(server: BenchServer, projectId: number, sha: string, started: number): Promise<Sample> {
  let pipeline: { id: number } | undefined;
  while (!pipeline) {
    const list = await server.api<{ id: number; sha: string }[]>("GET", `/projects/${projectId}/pipelines?sha=${sha}`);
    pipeline = list.find((p) => p.sha === sha);
    if (!pipeline) await Bun.sleep(2);
  }
  const created = performance.now() - started;
  const firstByte = await firstTraceByteMs(server, projectId, pipeline.id, started);
  return { created, firstByte };
}

function metrics(label: string, samples: Sample[]): Metric[] {
  const first = samples.map((s) => s.firstByte);
  return [
    { name: `${label} → pipeline created, median`, value: round(median(samples.map((s) => s.created))), unit: "ms" },
    { name: `${label} → first trace byte, median`, value: round(median(first)), unit: "ms", target: { below: 150 } },
    { name: `${label} → first trace byte, p95`, value: round(percentile(first, 95)), unit: "ms" },
  ];
}

const bench: Bench = {
  name: "push-latency",
  description: `push → pipeline created → first log byte, for \`git push\` to porthole and a signed GitHub webhook (${RUNS} runs each)`,
  async run() {
    const server = await startBenchServer();
    const home = mkdtempSync(join(tmpdir(), "porthole-bench-home-"));
    const hostedRepo = makeRepo({ ".gitlab-ci.yml": CI_CONFIG });
    const sourceRepo = makeRepo({ ".gitlab-ci.yml": CI_CONFIG });
    try {
      const hosted = await server.api<{ id: number; path_with_namespace: string }>("POST", "/projects", {
        name: "pushed",
      });
      const remote = new URL(`${server.url}/${hosted.path_with_namespace}.git`);
      remote.username = "root";
      remote.password = server.token;
      const pushSamples: Sample[] = [];
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const sha = hostedRepo.commit({ "n.txt": String(i) }, `push ${i}`);
        const started = performance.now();
        await git(hostedRepo.dir, home, "push", "--quiet", remote.toString(), "main");
        const sample = await measure(server, hosted.id, sha, started);
        if (i >= WARMUP) pushSamples.push(sample);
      }

      const mirrored = await server.api<{ id: number }>("POST", "/projects", {
        name: "mirrored",
        import_url: sourceRepo.dir,
      });
      const { secret } = await server.api<{ secret: string }>("POST", `/projects/${mirrored.id}/hooks/push/secret`);
      const hookSamples: Sample[] = [];
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const before = sourceRepo.git("rev-parse", "HEAD");
        const after = sourceRepo.commit({ "n.txt": String(i) }, `hook ${i}`);
        const delivery = githubPush(secret, { ref: "refs/heads/main", before, after, message: "m", cloneUrl: "x" });
        const started = performance.now();
        const res = await fetch(`${server.url}/api/v4/projects/${mirrored.id}/hooks/push`, {
          method: "POST",
          headers: delivery.headers,
          body: delivery.body,
        });
        if (res.status !== 202) throw new Error(`webhook: ${res.status} ${await res.text()}`);
        const sample = await measure(server, mirrored.id, after, started);
        if (i >= WARMUP) hookSamples.push(sample);
      }
      return {
        metrics: [...metrics("git push", pushSamples), ...metrics("signed webhook", hookSamples)],
        notes: [
          "git push: timed from starting `git push` (its own run included); the pipeline exists when it returns",
          "webhook: timed from sending the delivery; includes porthole's fetch from the local source repository",
          `shell executor; ${WARMUP} warm-up runs of each not counted; pipelines found by polling the API every 2 ms`,
        ],
      };
    } finally {
      await server.stop();
      for (const dir of [home, hostedRepo.dir, sourceRepo.dir]) rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
