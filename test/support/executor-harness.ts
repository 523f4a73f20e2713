// Helpers for the executor conformance suite: a job environment in a temp builds dir with an executor for it.
import type { ImageSpec } from "../../src/domain/job-spec.ts";
import type { Executor, ExecutorProvider, JobEnvironment } from "../../src/executor/types.ts";
import { tempJobEnvironment } from "./job-environment.ts";

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
  const jobId = 100_000 + Math.floor(Math.random() * 900_000);
  const marker = { key: MARKER_KEY, value: crypto.randomUUID() };
  const made = tempJobEnvironment("porthole-conformance-", "0/conformance/project", jobId, {
    [marker.key]: marker.value,
    ...variables,
  });
  const env: JobEnvironment = { ...made.env, image };
  const executor = provider.create(env);
  return {
    env,
    executor,
    marker,
    async dispose() {
      await executor.cleanup();
      made.dispose();
    },
  };
}
