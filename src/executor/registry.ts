// Every executor a runner can use: a name maps to its provider, whose code is imported only when it is chosen.
import { resolve } from "node:path";
import type { PortholeConfig } from "../config/schema.ts";
import type { Logger } from "../logger.ts";
import type { ExecutorProvider } from "./types.ts";

export interface ExecutorSetup {
  config: PortholeConfig;
  /** The runner the provider makes executors for (Docker labels its containers with it). */
  runner: { id: number; name: string };
  /** Where a provider says what it set up (the shell executor's warning when unsandboxed). */
  logger: Logger;
}

/** The names `runner.executor` accepts (the config's enum is this list), in the order the docs list them. */
export const EXECUTOR_NAMES = ["shell", "docker"] as const;

export type ExecutorName = (typeof EXECUTOR_NAMES)[number];

type ExecutorFactory = (setup: ExecutorSetup) => Promise<ExecutorProvider>;

/** One entry per name; the type makes a name without a provider (or the reverse) a compile error. */
const EXECUTORS: Record<ExecutorName, ExecutorFactory> = {
  /** Jobs run on this machine, each in its own sandbox (or, `runner.shell_isolation = "none"`, as the server). */
  shell: async ({ config, logger }) => (await import("./shell/setup.ts")).setUpShellExecutor(config, logger),
  /** Jobs run in containers; the data_dir scope keeps servers sharing one engine from sweeping each other's. */
  docker: async ({ config, runner }) =>
    (await import("./docker/index.ts")).createDockerExecutorProvider(config.docker, {
      ...runner,
      scope: resolve(config.data_dir),
    }),
};

/** The provider for `runner.executor`. */
export function createExecutorProvider(name: ExecutorName, setup: ExecutorSetup): Promise<ExecutorProvider> {
  return EXECUTORS[name](setup);
}
