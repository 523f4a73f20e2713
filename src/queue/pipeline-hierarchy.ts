// A pipeline's place among its upstream and downstream pipelines, for GitLab's limits on triggering more.
import type { PipelineRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";

/** GitLab's `MAX_NESTED_CHILDREN`: a pipeline and its project ancestors may be at most this many when they add a child. */
export const MAX_NESTED_CHILDREN = 2;
/** GitLab's default `pipeline_hierarchy_size` limit: pipelines in one tree, across projects. */
export const MAX_HIERARCHY_SIZE = 1000;

/** The pipeline and its ancestors in the same project (GitLab's `self_and_project_ancestors`), counted. */
export function projectAncestors(q: QueueContext, pipeline: PipelineRow): number {
  let count = 1;
  let current: PipelineRow | null = pipeline;
  while (current?.source === "parent_pipeline" && current.upstreamPipelineId !== null && count <= MAX_HIERARCHY_SIZE) {
    current = q.repos.pipelines.findById(current.upstreamPipelineId);
    if (current) count++;
  }
  return count;
}

/** The pipeline's upstream chain, itself first (bounded by the hierarchy limit). */
function upstreams(q: QueueContext, pipeline: PipelineRow): PipelineRow[] {
  const chain = [pipeline];
  let current = pipeline;
  while (current.upstreamPipelineId !== null && chain.length <= MAX_HIERARCHY_SIZE) {
    const up = q.repos.pipelines.findById(current.upstreamPipelineId);
    if (!up) break;
    chain.push(up);
    current = up;
  }
  return chain;
}

/** How many pipelines the tree holding `pipeline` has, counted up to the limit (GitLab's `complete_hierarchy_count`). */
export function hierarchySize(q: QueueContext, pipeline: PipelineRow): number {
  const root = upstreams(q, pipeline).at(-1)!;
  let size = 1;
  for (let level = [root.id]; level.length > 0 && size < MAX_HIERARCHY_SIZE; ) {
    level = q.repos.pipelines.downstreamOfPipelines(level).map((p) => p.id);
    size += level.length;
  }
  return size;
}

/**
 * GitLab's `has_cyclic_dependency?`: the same project, ref and source more than twice in the bridge's pipeline and
 * its upstreams (children left out): one loop is allowed, the second is refused (A → B → A → B → A).
 */
export function loopDetected(q: QueueContext, pipeline: PipelineRow): boolean {
  const key = (p: PipelineRow) => `${p.projectId}\0${p.ref}\0${p.source}`;
  const counts = new Map<string, number>();
  for (const p of upstreams(q, pipeline))
    if (p.source !== "parent_pipeline") counts.set(key(p), (counts.get(key(p)) ?? 0) + 1);
  return [...counts.values()].some((n) => n > 2);
}
