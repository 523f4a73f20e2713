// Finds processes of shell-executor jobs whose porthole server is gone (crashed or killed) and ends them.
import { PROCESS_TAG, processesWithEnv, signalProcess } from "./tagged-processes.ts";

/**
 * This server's mark in its sandboxed jobs' tags: random, so that a job learns nothing of the host from it (its
 * processes die with their sandbox, so no sweep needs to know whose they were).
 */
export const SANDBOX_TAG_OWNER = `sandbox-${crypto.randomUUID().slice(0, 8)}`;

/**
 * The tag's value starts with its owner: the server's pid on the host (`<server pid>:<executor id>/<step>/`),
 * which the sweep reads, or for a sandboxed job SANDBOX_TAG_OWNER, never the pid.
 */
export function tagRootFor(executorId: string, sandboxed: boolean): string {
  return `${sandboxed ? SANDBOX_TAG_OWNER : process.pid}:${executorId}/`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * SIGKILLs every tagged process whose server process no longer exists; returns one line per process. Processes
 * of another porthole that is still running (tests, a second instance) are left alone.
 */
export async function sweepOrphanedJobProcesses(): Promise<string[]> {
  const removed: string[] = [];
  for (const p of await processesWithEnv(`${PROCESS_TAG}=`)) {
    const owner = Number(p.entry.slice(PROCESS_TAG.length + 1).split(":")[0]);
    if (Number.isSafeInteger(owner) && owner > 0 && !isAlive(owner)) {
      signalProcess(p.pid, "SIGKILL");
      removed.push(`process ${p.pid} of a job of porthole process ${owner}`);
    }
  }
  return removed;
}
