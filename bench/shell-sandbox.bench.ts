// The shell sandbox's cost on job start: executor create → first byte of the job's output, with and without it.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createShellExecutorProvider } from "../src/executor/shell/index.ts";
import type { ExecutorProvider } from "../src/executor/types.ts";
import { buildStepScript } from "../src/runner/script-builder.ts";
import { median, percentile, round } from "./lib/stats.ts";
import type { Bench } from "./lib/types.ts";

const JOBS = 50;
const TARGET_EXTRA_MS = 20;

/** One job: create the executor, prepare it, run `echo first-output`; milliseconds until that text arrives. */
async function startToFirstOutput(provider: ExecutorProvider, buildsDir: string, id: number): Promise<number> {
  const projectDir = join(buildsDir, "0", "bench", `project-${id}`);
  await mkdir(projectDir, { recursive: true });
  const variables = [{ key: "CI_JOB_ID", value: String(id), masked: false }];
  const started = performance.now();
  let firstOutput = 0;
  const sink = {
    write: (bytes: Uint8Array) => {
      if (!firstOutput && Buffer.from(bytes).includes("first-output\n")) firstOutput = performance.now();
    },
    info: () => {},
  };
  const env = { jobId: id, pipelineId: 1, runnerId: 1, projectDir, buildsDir, variables, services: [] };
  const executor = provider.create(env);
  try {
    await executor.prepare(sink, new AbortController().signal);
    const step = { name: "step_script" as const, script: buildStepScript([], ["echo first-output"]) };
    const code = await executor.run(step, sink, new AbortController().signal);
    if (code !== 0 || !firstOutput) throw new Error(`the bench job failed (exit code ${code})`);
    return firstOutput - started;
  } finally {
    await executor.cleanup();
  }
}

const bench: Bench = {
  name: "shell-sandbox",
  description: `shell executor: create → first output of \`echo\`, ${JOBS} jobs each with and without the sandbox (interleaved, one run)`,
  async run() {
    const buildsDir = await mkdtemp(join(tmpdir(), "porthole-bench-sandbox-"));
    const kinds = {
      sandbox: createShellExecutorProvider({ isolation: "sandbox" }),
      none: createShellExecutorProvider({ isolation: "none" }),
    };
    const samples: Record<keyof typeof kinds, number[]> = { sandbox: [], none: [] };
    try {
      for (const kind of ["sandbox", "none"] as const) await startToFirstOutput(kinds[kind], buildsDir, 0); // warm-up
      for (let id = 1; id <= JOBS; id++) {
        for (const kind of ["sandbox", "none"] as const) {
          samples[kind].push(await startToFirstOutput(kinds[kind], buildsDir, id));
        }
      }
    } finally {
      await rm(buildsDir, { recursive: true, force: true });
    }
    const extra = median(samples.sandbox) - median(samples.none);
    return {
      metrics: [
        { name: "create → first output, sandbox, median", value: round(median(samples.sandbox), 2), unit: "ms" },
        { name: "create → first output, no sandbox, median", value: round(median(samples.none), 2), unit: "ms" },
        {
          name: "sandbox cost (difference of medians)",
          value: round(extra, 2),
          unit: "ms",
          target: { below: TARGET_EXTRA_MS },
        },
        { name: "create → first output, sandbox, p95", value: round(percentile(samples.sandbox, 95), 2), unit: "ms" },
        { name: "create → first output, no sandbox, p95", value: round(percentile(samples.none, 95), 2), unit: "ms" },
      ],
      notes: [
        `Runs as uid ${process.getuid?.()}: ${process.getuid?.() === 0 ? "jobs as nobody, no user namespace" : "a user namespace maps the server's uid"}. The sandbox start is one bwrap (namespaces, mounts, an init that chowns HOME and says ready) in prepare(), then nsenter + setpriv/env per step.`,
      ],
    };
  },
};

export default bench;
