// The shell executor's provider: finds bash and the user's shell once, then makes one executor per job.
import { type ExecutorProvider, SystemFailure } from "../types.ts";
import { createShellExecutor } from "./shell-executor.ts";
import { sweepOrphanedJobProcesses } from "./sweep.ts";

/**
 * Jobs run as the server's user, on this machine: use it only for code you trust. Fails each job with a
 * system failure when bash is not installed.
 */
export function createShellExecutorProvider(): ExecutorProvider {
  const bash = Bun.which("bash");
  const terminalShell = (process.env.SHELL && Bun.which(process.env.SHELL)) || bash;
  return {
    name: "shell",
    create(env) {
      if (!bash || !terminalShell) {
        throw new SystemFailure("the shell executor needs bash, and it is not installed (not found in PATH)");
      }
      return createShellExecutor(env, { bash, terminalShell });
    },
    sweep: sweepOrphanedJobProcesses,
  };
}
