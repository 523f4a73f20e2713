// This run's job processes, never another porthole's: found by the tag the shell executor puts in the environment
// of every process of a job (`PORTHOLE_PROCESS_TAG=<server pid>:…`, sandboxed `<this server's mark>:…`) together
// with the job's CI_JOB_ID.
import { readdirSync, readFileSync } from "node:fs";
import { SANDBOX_TAG_OWNER } from "../../src/executor/shell/sweep.ts";
import { PROCESS_TAG } from "../../src/executor/shell/tagged-processes.ts";

export interface JobProcess {
  pid: number;
  /** The command line, arguments joined by spaces. */
  args: string;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, "latin1");
  } catch {
    return null; // gone meanwhile, or not ours to read
  }
}

/**
 * Live processes of job `jobId` run by the porthole whose pid is `serverPid` (by default this test process, which
 * hosts startTestPorthole's server). Job ids start at 1 in every fresh database, so the id alone is not enough.
 */
export function jobProcesses(jobId: number, serverPid = process.pid): JobProcess[] {
  // A sandboxed job's tag names its server by a random mark, known only inside that server's process.
  const tags = [
    `${PROCESS_TAG}=${serverPid}:`,
    ...(serverPid === process.pid ? [`${PROCESS_TAG}=${SANDBOX_TAG_OWNER}:`] : []),
  ];
  const id = `CI_JOB_ID=${jobId}`;
  const found: JobProcess[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const env = read(`/proc/${name}/environ`)?.split("\0");
    if (!env?.includes(id) || !env.some((entry) => tags.some((tag) => entry.startsWith(tag)))) continue;
    const args = read(`/proc/${name}/cmdline`);
    if (args !== null) found.push({ pid: Number(name), args: args.split("\0").join(" ").trim() });
  }
  return found;
}
