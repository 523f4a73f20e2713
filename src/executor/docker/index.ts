// The Docker executor provider: validates `[docker]` once, creates one executor per job, sweeps crash leftovers.
import type { ExecutorProvider } from "../types.ts";
import { lazyEngine } from "./engine.ts";
import { DockerExecutor } from "./executor.ts";
import { LABEL, type RunnerIdentity, runnerLabels } from "./labels.ts";
import { removeLabelled } from "./resources.ts";
import { containerLimits, type DockerSettings, engineAddress } from "./settings.ts";
import { armWatchdog } from "./watchdog.ts";

export type { RunnerIdentity } from "./labels.ts";

/**
 * Throws an Error naming the setting when `[docker]` cannot be used (host, volumes, memory). dockerode is imported,
 * and the engine contacted, only when a job is prepared or sweep() runs.
 * Pass `runner.scope` (e.g. the absolute data_dir) when several porthole servers may share one engine.
 */
export function createDockerExecutorProvider(settings: DockerSettings, runner: RunnerIdentity): ExecutorProvider {
  const address = engineAddress(settings.host);
  const engine = lazyEngine(address);
  const deps = { engine, settings, limits: containerLimits(settings), runner, localEngine: address.local };
  /** A runner without a scope leaves scoped leftovers alone (they belong to servers that say who they are). */
  const unscopedOnly = () => (runner.scope === undefined ? [LABEL.scope] : []);
  return {
    name: "docker",
    create: (env) => new DockerExecutor(env, deps),
    /**
     * Removes every container and network labelled for this runner (call before taking jobs); lists them.
     */
    async sweep() {
      return removeLabelled(await engine(), runnerLabels(runner), unscopedOnly());
    },
    /** A child process that does what sweep() does once this server is gone (see watchdog.ts). */
    guard() {
      return armWatchdog({ host: settings.host, labels: runnerLabels(runner), without: unscopedOnly() });
    },
  };
}
