// A job environment in a fresh temp builds dir, with its project dir made and the predefined variables a runner sets.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JobEnvironment, JobVariable } from "../../src/executor/types.ts";

export interface TempJobEnvironment {
  env: JobEnvironment;
  /** Removes the temp builds dir. */
  dispose(): void;
}

/**
 * Job `jobId` with its builds dir under a temp `prefix…` folder and its project at `projectPath` inside it; `vars`
 * come after CI, CI_JOB_ID, CI_PROJECT_DIR and CI_BUILDS_DIR, and `over` replaces any field of the environment.
 */
export function tempJobEnvironment(
  prefix: string,
  projectPath: string,
  jobId: number,
  vars: Record<string, string> = {},
  over: Partial<JobEnvironment> = {},
): TempJobEnvironment {
  const buildsDir = mkdtempSync(join(tmpdir(), prefix));
  const projectDir = join(buildsDir, projectPath);
  mkdirSync(projectDir, { recursive: true });
  const all: Record<string, string> = {
    CI: "true",
    CI_JOB_ID: String(jobId),
    CI_PROJECT_DIR: projectDir,
    CI_BUILDS_DIR: buildsDir,
    ...vars,
  };
  const variables: JobVariable[] = Object.entries(all).map(([key, value]) => ({ key, value, masked: false }));
  const env: JobEnvironment = {
    jobId,
    pipelineId: 1,
    runnerId: 1,
    projectDir,
    buildsDir,
    variables,
    services: [],
    ...over,
  };
  return { env, dispose: () => rmSync(buildsDir, { recursive: true, force: true }) };
}
