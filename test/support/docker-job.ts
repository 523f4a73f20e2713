// Test fixtures for the Docker executor: a job environment with a real project dir, and a provider.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ConfigInput, configSchema } from "../../src/config/schema.ts";
import { createDockerExecutorProvider } from "../../src/executor/docker/index.ts";
import type { JobEnvironment, JobVariable } from "../../src/executor/types.ts";

let nextJobId = 9_000_000 + Math.floor(Math.random() * 900_000);

/** A job with its own project dir (holding `README.md`) and the predefined variables a runner would set. */
export function makeJob(over: Partial<JobEnvironment> = {}, extra: Record<string, string> = {}) {
  const buildsDir = mkdtempSync(join(tmpdir(), "porthole-docker-test-"));
  const projectDir = join(buildsDir, "group", "project");
  Bun.spawnSync(["mkdir", "-p", projectDir]);
  writeFileSync(join(projectDir, "README.md"), "hello from the sources\n");
  const jobId = nextJobId++;
  const vars: Record<string, string> = {
    CI: "true",
    CI_JOB_ID: String(jobId),
    CI_PROJECT_DIR: projectDir,
    CI_BUILDS_DIR: buildsDir,
    ...extra,
  };
  const variables: JobVariable[] = Object.entries(vars).map(([key, value]) => ({ key, value, masked: false }));
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

/**
 * A provider for one test file: its own scope, so its sweep() never touches another test's containers.
 * `scope: null` (no scope) with a `runnerId` no server uses tests the unscoped behaviour.
 */
export function testProvider(
  docker: Partial<NonNullable<ConfigInput["docker"]>> = {},
  scope: string | null = `test-${crypto.randomUUID()}`,
  runnerId = 1,
) {
  const settings = configSchema.parse({
    docker: { pull_policy: "if-not-present", default_image: "porthole-test/busybox", ...docker },
  }).docker;
  const runner = { id: runnerId, name: "test", scope: scope ?? undefined };
  return { provider: createDockerExecutorProvider(settings, runner), scope: runner.scope };
}

export const never = () => new AbortController().signal;
