// At start: jobs a previous run of the server left running can't finish any more; fail them and say why.
import { and, eq, inArray } from "drizzle-orm";
import { jobs, runners } from "../store/schema.ts";
import type { QueueContext } from "./context.ts";
import { finishJob } from "./job-actions.ts";

const enc = new TextEncoder();

/** Fails the running jobs of the embedded runners; returns their ids. */
export function failOrphanedJobs(q: QueueContext): number[] {
  const embedded = q.db
    .select({ id: runners.id })
    .from(runners)
    .where(eq(runners.embedded, true))
    .all()
    .map((r) => r.id);
  if (embedded.length === 0) return [];
  const orphans = q.db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.status, "running"), inArray(jobs.runnerId, embedded)))
    .all();
  for (const { id } of orphans) {
    q.traces.append(
      id,
      enc.encode(
        "\n\x1b[31;1mERROR: Job failed: the porthole server stopped while the job was running (runner system failure)\x1b[0;m\n",
      ),
    );
    finishJob(q, id, { status: "failed", failureReason: "runner_system_failure" });
  }
  return orphans.map((o) => o.id);
}
