// `resource_group`: at most one job of a project's group is pending or running; the others wait
// (`waiting_for_resource`) and get the resource in the group's process mode, across pipelines.
import type { JobStatus } from "../domain/status.ts";
import type { Logger } from "../logger.ts";
import type { JobRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";
import { refreshPipelineStatus } from "./scheduler.ts";

/** Jobs that hold their group's resource. */
const HOLDING: JobStatus[] = ["pending", "running"];
/** GitLab's `waiting_for_resource_or_upcoming`: jobs that will want the resource, for `oldest_first`/`newest_first`. */
const UPCOMING: JobStatus[] = ["created", "scheduled", "waiting_for_resource"];

/**
 * Gives the group's resource to the next waiting job when no job holds it: `unordered` takes the job that waited
 * longest; `oldest_first` / `newest_first` take the upcoming job of the oldest / newest pipeline, and wait while that
 * job is not ready yet (as GitLab). Idempotent; returns the job that got it, if any.
 */
export function assignResource(q: QueueContext, projectId: number, key: string): JobRow | null {
  const group = q.repos.resourceGroups.findOrCreate(projectId, key);
  const repo = q.repos.resourceGroups;
  if (repo.jobsOfGroup(projectId, key, HOLDING).length > 0) return null;
  let next: JobRow | undefined;
  if (group.processMode === "unordered") {
    next = repo.jobsOfGroup(projectId, key, ["waiting_for_resource"])[0];
  } else {
    const upcoming = repo.jobsOfGroup(projectId, key, UPCOMING);
    const order = group.processMode === "oldest_first" ? 1 : -1;
    upcoming.sort((a, b) => order * (a.pipelineId - b.pipelineId) || a.id - b.id);
    next = upcoming[0]?.status === "waiting_for_resource" ? upcoming[0] : undefined;
  }
  if (!next) return null;
  const update = { status: "pending" as const, queuedAt: new Date() };
  q.repos.jobs.update(next.id, update);
  const assigned = { ...next, ...update };
  q.events.jobChanged(assigned);
  refreshPipelineStatus(q, next.pipelineId);
  q.jobsReleased();
  return assigned;
}

/** Assigns every group that has waiting jobs (at start, after a crash left some waiting). */
export function assignWaitingResources(q: QueueContext): void {
  for (const { projectId, key } of q.repos.resourceGroups.waitingGroups()) assignResource(q, projectId, key);
}

/**
 * Follows job changes: a job that starts waiting, or a job of a group that finishes (or is canceled, or skipped),
 * lets the group hand its resource on. Deferred to a microtask so the change that caused it is fully stored.
 */
export function watchResourceGroups(q: QueueContext, logger: Logger): () => void {
  return q.events.onJob((job) => {
    const key = job.spec.resourceGroup;
    if (!key || HOLDING.includes(job.status)) return;
    queueMicrotask(() => {
      try {
        assignResource(q, job.projectId, key);
      } catch (error) {
        logger.error("a resource group could not hand on its resource", { project: job.projectId, key, error });
      }
    });
  });
}
