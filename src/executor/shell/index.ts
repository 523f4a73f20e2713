// The shell executor's provider: finds bash, bubblewrap and the job's user once, then makes one executor per job.
import { type ExecutorProvider, SystemFailure } from "../types.ts";
import { resolveJobUser } from "./job-user.ts";
import { createShellExecutor, type ShellIsolation } from "./shell-executor.ts";

import { sweepOrphanedJobProcesses } from "./sweep.ts";

export interface ShellExecutorOptions {
  /** `runner.shell_isolation`: "sandbox" (the default) or "none" (jobs on the host as the server; demos only). */
  isolation?: "sandbox" | "none";
  /** `runner.shell_user`: "" is an unprivileged user ("nobody") when the server is root, else the server's user. */
  user?: string;
  /** Paths a job must never see (data_dir, the builds root), hidden even when they lie below /usr, /etc or /opt. */
  hiddenPaths?: readonly string[];
}

/** The sandbox's programs: bwrap on the host, nsenter to enter a job's sandbox. Throws naming what is missing. */
function sandboxPrograms() {
  const bwrap = Bun.which("bwrap");
  const nsenter = Bun.which("nsenter");
  if (!bwrap || !nsenter) {
    throw new Error(
      `the sandbox needs ${bwrap ? "nsenter (util-linux)" : "bubblewrap (apt install bubblewrap)"}, and it is not installed`,
    );
  }
  return { bwrap, nsenter };
}

/**
 * Each job runs in its own sandbox (sandbox.ts); with `isolation: "none"` on this machine as the server's user,
 * for code you trust only. Throws when the sandbox's programs or the job's user are missing; fails each job with
 * a system failure when bash is not installed.
 */
export function createShellExecutorProvider(options: ShellExecutorOptions = {}): ExecutorProvider {
  const bash = Bun.which("bash");
  let isolation: ShellIsolation = { kind: "none" };
  let terminalShell = (process.env.SHELL && Bun.which(process.env.SHELL)) || bash;
  if ((options.isolation ?? "sandbox") === "sandbox") {
    const serverIsRoot = process.getuid?.() === 0;
    isolation = {
      kind: "sandbox",
      programs: sandboxPrograms(),
      user: resolveJobUser(options.user ?? ""),
      serverIsRoot,
      hiddenPaths: options.hiddenPaths ?? [],
    };
    // The sandbox has the system's programs only: a shell from elsewhere (a home folder) is not there.
    if (!terminalShell?.startsWith("/usr/") && !terminalShell?.startsWith("/bin/")) terminalShell = bash;
  }
  return {
    name: "shell",
    create(env) {
      if (!bash || !terminalShell) {
        throw new SystemFailure("the shell executor needs bash, and it is not installed (not found in PATH)");
      }
      return createShellExecutor(env, { bash, terminalShell }, isolation);
    },
    sweep: sweepOrphanedJobProcesses,
  };
}
