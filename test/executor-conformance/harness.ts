// Helpers for the executor conformance suite: a job environment in a temp builds dir, a capturing sink, waits.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ImageSpec } from "../../src/domain/job-spec.ts";
import type { Executor, ExecutorProvider, JobEnvironment, JobVariable, OutputSink } from "../../src/executor/types.ts";

/** The variable every conformance job carries, unique per job, by which its processes are found. */
export const MARKER_KEY = "PORTHOLE_CONFORMANCE_MARKER";

export interface CapturingSink extends OutputSink {
  /** Everything written so far (job bytes and executor lines), as text. */
  text(): string;
}

export function capturingSink(): CapturingSink {
  const parts: Buffer[] = [];
  return {
    write: (bytes) => void parts.push(Buffer.from(bytes)),
    info: (line) => void parts.push(Buffer.from(`${line}\n`)),
    text: () => Buffer.concat(parts).toString(),
  };
}

export interface TestJob {
  env: JobEnvironment;
  executor: Executor;
  marker: { key: string; value: string };
  /** Cleans up the executor (again) and removes the temp builds dir. */
  dispose(): Promise<void>;
}

/** A fresh job environment with its project dir made (as the runner makes it) and an executor for it. */
export async function createTestJob(
  provider: ExecutorProvider,
  variables: Record<string, string>,
  image?: ImageSpec,
): Promise<TestJob> {
  const buildsDir = await mkdtemp(join(tmpdir(), "porthole-conformance-"));
  const projectDir = join(buildsDir, "0", "conformance", "project");
  await mkdir(projectDir, { recursive: true });
  const jobId = 100_000 + Math.floor(Math.random() * 900_000);
  const marker = { key: MARKER_KEY, value: crypto.randomUUID() };
  const all: Record<string, string> = {
    CI: "true",
    CI_JOB_ID: String(jobId),
    CI_BUILDS_DIR: buildsDir,
    CI_PROJECT_DIR: projectDir,
    [marker.key]: marker.value,
    ...variables,
  };
  const jobVariables: JobVariable[] = Object.entries(all).map(([key, value]) => ({ key, value, masked: false }));
  const env: JobEnvironment = {
    jobId,
    pipelineId: 1,
    runnerId: 1,
    projectDir,
    buildsDir,
    variables: jobVariables,
    image,
    services: [],
  };
  const executor = provider.create(env);
  return {
    env,
    executor,
    marker,
    async dispose() {
      await executor.cleanup();
      await rm(buildsDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` every 20 ms until it returns true; false when `ms` passed first. */
export async function eventually(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const until = performance.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (performance.now() > until) return false;
    await Bun.sleep(20);
  }
}
