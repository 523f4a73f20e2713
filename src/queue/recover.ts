// At start: jobs a previous run of the server left running can't finish any more; fail them and say why.
import type { QueueContext } from "./context.ts";
import { finishJob } from "./job-actions.ts";

const enc = new TextEncoder();

/** Fails the running jobs of the embedded runners; returns their ids. */
export function failOrphanedJobs(q: QueueContext): number[] {
  const embedded = q.repos.runners.embeddedIds();
  if (embedded.length === 0) return [];
  const orphans = q.repos.jobs.runningOn(embedded);
  for (const id of orphans) {
    q.traces.append(
      id,
      enc.encode(
        "\n\x1b[31;1mERROR: Job failed: the porthole server stopped while the job was running (runner system failure)\x1b[0;m\n",
      ),
    );
    finishJob(q, id, { status: "failed", failureReason: "runner_system_failure" });
  }
  return orphans;
}
