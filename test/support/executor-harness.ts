// Helpers for the executor conformance suite: a job environment in a temp builds dir with an executor for it.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ImageSpec } from "../../src/domain/job-spec.ts";
import type { Executor, ExecutorProvider, JobEnvironment, JobVariable } from "../../src/executor/types.ts";

/** The variable every conformance job carries, unique per job, by which its processes are found. */
export const MARKER_KEY = "PORTHOLE_CONFORMANCE_MARKER";

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
