// Test fixtures for the Docker executor: a job environment with a real project dir, and a provider.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ConfigInput, configSchema } from "../../src/config/schema.ts";
import { createDockerExecutorProvider } from "../../src/executor/docker/index.ts";
import type { JobEnvironment } from "../../src/executor/types.ts";
import { tempJobEnvironment } from "./job-environment.ts";

let nextJobId = 9_000_000 + Math.floor(Math.random() * 900_000);

/** A job with its own project dir (holding `README.md`) and the predefined variables a runner would set. */
export function makeJob(over: Partial<JobEnvironment> = {}, extra: Record<string, string> = {}) {
  const made = tempJobEnvironment("porthole-docker-test-", "group/project", nextJobId++, extra, over);
  writeFileSync(join(made.env.projectDir, "README.md"), "hello from the sources\n");
  return made;
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
