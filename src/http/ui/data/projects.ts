// Project lists for the dashboard: what the user can see, with each project's latest pipeline.
import type { Actor } from "../../../auth/actor.ts";
import { visibleProjects } from "../../../auth/permissions.ts";
import type { Db } from "../../../store/db.ts";
import { repositoriesOf } from "../../../store/repositories.ts";
import type { PipelineRow, ProjectRow } from "../../../store/rows.ts";

export interface ProjectListItem {
  project: ProjectRow;
  lastPipeline: PipelineRow | null;
}

/**
 * One page of the projects `actor` can see, most recently active first, filtered by name when `search` is set and
 * to one user's namespace when `namespace` is.
 */
export function listProjectsWithStatus(
  db: Db,
  actor: Actor | null,
  opts: { search?: string; namespace?: string; page: number; perPage: number },
): { items: ProjectListItem[]; total: number } {
  const repos = repositoriesOf(db);
  const { rows, total } = repos.projects.pageByActivity(
    { visibleTo: visibleProjects(actor), search: opts.search || undefined, namespace: opts.namespace },
    { perPage: opts.perPage, offset: (opts.page - 1) * opts.perPage },
  );
  const ids = rows.map((r) => r.lastPipelineId).filter((id): id is number => id !== null);
  const latest = new Map(repos.pipelines.findMany(ids).map((p) => [p.id, p]));
  return {
    items: rows.map((r) => ({
      project: r.project,
      lastPipeline: r.lastPipelineId ? (latest.get(r.lastPipelineId) ?? null) : null,
    })),
    total,
  };
}

/** The latest pipeline for `ref` (for the status badge), or null. */
export function latestPipelineForRef(db: Db, projectId: number, ref: string): PipelineRow | null {
  return repositoriesOf(db).pipelines.latestForRef(projectId, ref);
}
