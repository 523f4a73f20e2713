// Protected refs: creating a pipeline, or retrying and playing its jobs, needs push or merge access to its ref.
import { mayRunOnRef } from "../auth/protected-branches.ts";
import { badRequest, forbidden, notFound } from "../domain/errors.ts";
import type { ProjectRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";

/** GitLab's refusal when a pipeline would be created on a ref the user may not write (a 400, as GitLab answers). */
export function assertMayCreateOn(
  q: QueueContext,
  userId: number | null,
  project: ProjectRow,
  ref: { name: string; tag: boolean },
): void {
  if (mayRunOnRef(q.db, userId, project, ref)) return;
  const message = `You do not have sufficient permission to run a pipeline on '${ref.name}'. Please select a different branch or contact your administrator for assistance.`;
  throw badRequest(message, { base: [message] });
}

/** 403 unless `userId` may run jobs on the pipeline's ref (retry and play act on the pipeline's ref). */
export function assertMayRunJobsOf(q: QueueContext, pipelineId: number, userId: number | null): void {
  const pipeline = q.repos.pipelines.findById(pipelineId);
  if (!pipeline) throw notFound("Pipeline");
  const ref = { name: pipeline.ref, tag: pipeline.tag };
  if (mayRunOnRef(q.db, userId, { id: pipeline.projectId }, ref)) return;
  throw forbidden(`You do not have sufficient permission to run a job on protected branch '${ref.name}'`);
}
