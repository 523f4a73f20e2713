// The shell executor as boot makes it: its sandbox proven to work here, or `shell_isolation = "none"`, loudly.
import { resolve } from "node:path";
import { buildsDir } from "../../config/paths.ts";
import { ConfigError } from "../../config/problems.ts";
import type { PortholeConfig } from "../../config/schema.ts";
import type { Logger } from "../../logger.ts";
import type { ExecutorProvider } from "../types.ts";
import { createShellExecutorProvider } from "./index.ts";
import { resolveJobUser } from "./job-user.ts";
import { checkShellSandbox } from "./self-check.ts";
import { NO_ISOLATION_WARNING } from "./shell-executor.ts";

/**
 * A server that cannot sandbox its shell jobs refuses to start (this throws, naming why and the way out) unless
 * `runner.shell_isolation = "none"` says to run them unsandboxed; then it logs the warning every job log repeats.
 */
export async function setUpShellExecutor(config: PortholeConfig, logger: Logger): Promise<ExecutorProvider> {
  const isolation = config.runner.shell_isolation;
  const dataDir = resolve(config.data_dir);
  const builds = resolve(buildsDir({ ...config, data_dir: dataDir }));
  // The runner's own git directories live beside the builds (sources.ts): as invisible as data_dir.
  const hiddenPaths = [dataDir, builds, `${builds}-git`];
  if (isolation === "sandbox") {
    // A user that cannot be is a setting to fix (exit code 2), not a machine that cannot sandbox.
    try {
      resolveJobUser(config.runner.shell_user);
    } catch (err) {
      throw new ConfigError([(err as Error).message]);
    }
  }
  try {
    const provider = createShellExecutorProvider({ isolation, user: config.runner.shell_user, hiddenPaths });
    if (isolation === "none") logger.warn(NO_ISOLATION_WARNING);
    else await checkShellSandbox(provider);
    return provider;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(
      `the shell executor cannot sandbox jobs here: ${why} (runner.shell_isolation = "none" runs them unsandboxed, for demos only)`,
    );
  }
}
