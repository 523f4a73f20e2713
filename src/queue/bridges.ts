// Running a bridge (GitLab's `CreateDownstreamPipelineService`): check what GitLab checks, create the child or
// multi-project pipeline, and settle the bridge: success at once, or (`strategy: depend`) as the downstream ends.
import { resolveProject } from "../auth/access.ts";
import type { Actor } from "../auth/actor.ts";
import { mayRunOnRef } from "../auth/protected-branches.ts";
import { DomainError } from "../domain/errors.ts";
import type { FailureReason } from "../domain/status.ts";
import { expandValue } from "../domain/variables.ts";
import type { JobRow, PipelineRow, ProjectRow } from "../store/rows.ts";
import { cancelPipelineOnJobFailure } from "./auto-cancel.ts";
import { followDownstream } from "./bridge-status.ts";
import type { QueueContext } from "./context.ts";
import { bridgeVariables, childConfig, downstreamVariables } from "./downstream-config.ts";
import { cancelChildPipelines } from "./pipeline-actions.ts";
import {
  hierarchySize,
  loopDetected,
  MAX_HIERARCHY_SIZE,
  MAX_NESTED_CHILDREN,
  projectAncestors,
} from "./pipeline-hierarchy.ts";
import { advancePipeline, refreshPipelineStatus } from "./scheduler.ts";
import type { CreatePipelineInput } from "./types.ts";

type Create = (input: CreatePipelineInput) => Promise<PipelineRow>;
type Refusal = { reason: FailureReason; message: string };

/** Starts a bridge the scheduler released (`pending`): it becomes `running` until its downstream says otherwise. */
export async function runBridge(q: QueueContext, create: Create, bridgeId: number): Promise<void> {
  const bridge = q.repos.jobs.findById(bridgeId);
  if (bridge?.status !== "pending" || bridge.kind !== "bridge") return;
  const running = { status: "running" as const, startedAt: new Date() };
  q.repos.jobs.update(bridge.id, running);
  q.events.jobChanged({ ...bridge, ...running });
  refreshPipelineStatus(q, bridge.pipelineId);
  const pipeline = q.repos.pipelines.findById(bridge.pipelineId);
  const project = pipeline && q.repos.projects.findById(pipeline.projectId);
  if (!pipeline || !project) return;
  const outcome = await createDownstream(q, create, { ...bridge, ...running }, pipeline, project).catch(
    (error: unknown): Refusal => {
      if (error instanceof DomainError && error.code === "forbidden")
        return { reason: "insufficient_bridge_permissions", message: error.message };
      const messages = error instanceof DomainError ? (error.fields?.base ?? [error.message]) : [String(error)];
      return { reason: "downstream_pipeline_creation_failed", message: messages.join("; ") };
    },
  );
  const now = q.repos.jobs.findById(bridge.id);
  if (now?.status !== "running") {
    // Canceled (or deleted) while its child was being made: the cancel could not reach that child yet.
    if (!("reason" in outcome)) cancelChildPipelines(q, [bridge.id]);
    return;
  }
  if ("reason" in outcome) return failBridge(q, now, outcome);
  if (now.spec.trigger?.strategy === "depend") followDownstream(q, q.repos.pipelines.findById(outcome.id) ?? outcome);
  else settleBridge(q, now, { status: "success", finishedAt: new Date() });
}

/** The bridge's new state, then what its pipeline releases next. */
export function settleBridge(q: QueueContext, bridge: JobRow, update: Partial<JobRow>): void {
  q.repos.jobs.update(bridge.id, update);
  const next = { ...bridge, ...update };
  q.events.jobChanged(next);
  const pipeline = q.repos.pipelines.findById(bridge.pipelineId);
  if (pipeline && next.status === "failed") cancelPipelineOnJobFailure(q, pipeline, next);
  advancePipeline(q, bridge.pipelineId);
}

function failBridge(q: QueueContext, bridge: JobRow, refusal: Refusal): void {
  settleBridge(q, bridge, {
    status: "failed",
    failureReason: refusal.reason,
    errorMessage: refusal.message,
    finishedAt: new Date(),
  });
}

async function createDownstream(
  q: QueueContext,
  create: Create,
  bridge: JobRow,
  pipeline: PipelineRow,
  project: ProjectRow,
): Promise<PipelineRow | Refusal> {
  const trigger = bridge.spec.trigger!;
  const user = bridge.userId === null ? null : q.repos.users.findById(bridge.userId);
  const actor: Actor | null = user && user.state === "active" ? { user, via: "token", scopes: ["api"] } : null;
  const upstream = { jobId: bridge.id, pipelineId: pipeline.id };
  const variables = downstreamVariables(q, bridge, pipeline, project);
  if (trigger.include) {
    if (projectAncestors(q, pipeline) > MAX_NESTED_CHILDREN)
      return refusal(
        "reached_max_descendant_pipelines_depth",
        `child pipelines can be nested ${MAX_NESTED_CHILDREN} levels deep at most`,
      );
    if (hierarchySize(q, pipeline) >= MAX_HIERARCHY_SIZE) return hierarchyFull;
    if (!mayCreate(q, actor, project, pipeline.ref, pipeline.tag))
      return refusal("insufficient_bridge_permissions", "the user may not create pipelines in this project");
    const config = childConfig(q, bridge, pipeline);
    if ("error" in config) return refusal("downstream_pipeline_creation_failed", config.error);
    return create({
      projectId: project.id,
      ref: pipeline.ref,
      sha: pipeline.sha,
      beforeSha: pipeline.beforeSha,
      source: "parent_pipeline",
      userId: bridge.userId,
      variables,
      upstream,
      config,
    });
  }
  const seen = bridgeVariables(q, bridge, pipeline, project, { crossProject: true });
  const path = expandValue(trigger.project ?? "", (name) => seen.get(name));
  const target = actor && resolveProject(q.db, actor, path, "read_project");
  if (!target?.ok) return refusal("downstream_bridge_project_not_found", `project ${path} was not found`);
  if (target.project.id === project.id)
    return refusal("invalid_bridge_trigger", "a multi-project trigger cannot target its own project");
  const ref = trigger.branch ? expandValue(trigger.branch, (name) => seen.get(name)) : target.project.defaultBranch;
  if (hierarchySize(q, pipeline) >= MAX_HIERARCHY_SIZE) return hierarchyFull;
  if (
    !mayCreate(q, actor, project, pipeline.ref, pipeline.tag, "update_pipeline") ||
    !mayCreate(q, actor, target.project, ref, false)
  )
    return refusal("insufficient_bridge_permissions", `the user may not create pipelines in ${path} on ${ref}`);
  if (loopDetected(q, pipeline))
    return refusal("pipeline_loop_detected", "the multi-project pipelines trigger each other in a loop");
  return create({ projectId: target.project.id, ref, source: "pipeline", userId: bridge.userId, variables, upstream });
}

/**
 * At start, what a previous run left between steps: a released bridge that did not start starts; one stopped while
 * creating its downstream fails (none was made) or settles as it would have (one was: success, or with `depend`
 * the downstream's status so far).
 */
export function recoverBridges(q: QueueContext): void {
  for (const bridge of q.repos.jobs.openBridges()) {
    if (bridge.status === "pending") {
      q.bridgeReleased(bridge.id);
      continue;
    }
    const [downstream] = q.repos.pipelines.downstreamOf([bridge.id]);
    if (!downstream)
      failBridge(q, bridge, refusal("downstream_pipeline_creation_failed", "the server stopped while creating it"));
    else if (bridge.spec.trigger?.strategy === "depend") followDownstream(q, downstream);
    else settleBridge(q, bridge, { status: "success", finishedAt: new Date() });
  }
}

const refusal = (reason: FailureReason, message: string): Refusal => ({ reason, message });
const hierarchyFull = refusal(
  "reached_max_pipeline_hierarchy_size",
  `a pipeline tree may hold ${MAX_HIERARCHY_SIZE} pipelines at most`,
);

/** GitLab's `can_create_downstream_pipeline?`: the action in the project, and write access to a protected ref. */
function mayCreate(
  q: QueueContext,
  actor: Actor | null,
  project: ProjectRow,
  ref: string,
  tag: boolean,
  action: "create_pipeline" | "update_pipeline" = "create_pipeline",
): boolean {
  if (!actor || !resolveProject(q.db, actor, String(project.id), action).ok) return false;
  return mayRunOnRef(q.db, actor.user.id, project, { name: ref, tag });
}
