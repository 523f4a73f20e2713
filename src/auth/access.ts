// One access layer for API, pages and terminal sockets: finds project → pipeline/job and asks permissions.ts.
import type { Db } from "../store/db.ts";
import type { JobKind } from "../store/jobs.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { JobRow, PipelineRow, ProjectRow } from "../store/rows.ts";
import type { Actor } from "./actor.ts";
import { accessLevel, can, decide, type ProjectAction, type ProjectContext } from "./permissions.ts";

/** A project the actor may act on, with their membership level (0 for none). */
export interface ProjectAccess {
  project: ProjectRow;
  level: number;
  actor: Actor | null;
}

/**
 * Why the actor gets nothing: `unauthorized` (anonymous and not allowed), `not_found` (missing, or invisible to the
 * actor), `forbidden` (visible but not allowed). `what` names the resource the refusal is about.
 */
export interface Denial {
  ok: false;
  decision: "unauthorized" | "not_found" | "forbidden";
  what: "Project" | "Pipeline" | "Job";
}

export type Resolution<T> = ({ ok: true } & T) | Denial;

const deny = (decision: Denial["decision"], what: Denial["what"]): Denial => ({ ok: false, decision, what });

/** The project for a reference: a numeric id or a `namespace/path` (case-insensitive, as GitLab). */
export function findProject(db: Db, ref: string): ProjectRow | null {
  const projects = repositoriesOf(db).projects;
  if (/^\d+$/.test(ref)) return projects.findById(Number(ref));
  const slash = ref.lastIndexOf("/");
  if (slash <= 0) return null;
  return projects.findByFullPath(ref.slice(0, slash), ref.slice(slash + 1));
}

/** The decision for `action` in a project already resolved (`ok` or why not). */
export function authorize(
  access: ProjectAccess,
  action: ProjectAction,
  extra: Partial<ProjectContext> = {},
): "ok" | Denial["decision"] {
  return decide(access.actor, action, { ...extra, project: access.project, level: access.level });
}

/** Whether the actor may also do `action` in the project (for optional extras: buttons, revealing values). */
export function allowed(access: ProjectAccess, action: ProjectAction, extra: Partial<ProjectContext> = {}): boolean {
  return can(access.actor, action, { ...extra, project: access.project, level: access.level });
}

/** The project `ref` if the actor may see it and do `action` there. */
export function resolveProject(
  db: Db,
  actor: Actor | null,
  ref: string,
  action: ProjectAction,
  extra: Partial<ProjectContext> = {},
): Resolution<ProjectAccess> {
  const project = findProject(db, ref);
  if (!project) return deny(actor ? "not_found" : "unauthorized", "Project");
  const access = { project, level: actor ? accessLevel(db, actor.user, project) : 0, actor };
  for (const [step, context] of [
    ["read_project", {}],
    [action, extra],
  ] as const) {
    const decision = authorize(access, step, context);
    if (decision !== "ok") return deny(decision, "Project");
  }
  return { ok: true, ...access };
}

/** Pipeline `id` of project `ref`, if the actor may see the project and do `action` on the pipeline. */
export function resolvePipeline(
  db: Db,
  actor: Actor | null,
  ref: string,
  id: number,
  action: ProjectAction,
): Resolution<ProjectAccess & { pipeline: PipelineRow }> {
  const access = resolveProject(db, actor, ref, "read_project");
  if (!access.ok) return access;
  const pipeline = Number.isSafeInteger(id) ? repositoriesOf(db).pipelines.findInProject(access.project.id, id) : null;
  if (!pipeline) return deny("not_found", "Pipeline");
  const decision = authorize(access, action);
  return decision === "ok" ? { ...access, pipeline } : deny(decision, "Pipeline");
}

/**
 * Job `id` of project `ref`, if the actor may see the project and do `action` on the job (who started it counts).
 * A build unless `kinds` also allows bridges (trigger jobs).
 */
export function resolveJob(
  db: Db,
  actor: Actor | null,
  ref: string,
  id: number,
  action: ProjectAction,
  kinds: JobKind[] = ["build"],
): Resolution<ProjectAccess & { job: JobRow }> {
  const access = resolveProject(db, actor, ref, "read_project");
  if (!access.ok) return access;
  const job = Number.isSafeInteger(id) ? repositoriesOf(db).jobs.findInProject(access.project.id, id, kinds) : null;
  if (!job) return deny("not_found", "Job");
  const decision = authorize(access, action, { job });
  return decision === "ok" ? { ...access, job } : deny(decision, "Job");
}
