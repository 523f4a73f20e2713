// Route guards: load what a route acts on and ask permissions.ts, answering 401/403/404 the GitLab way.
import { and, eq } from "drizzle-orm";
import type { Actor } from "../../auth/actor.ts";
import {
  accessLevel,
  can,
  decide,
  type GlobalAction,
  type ProjectAction,
  type ProjectContext,
} from "../../auth/permissions.ts";
import { forbidden, notFound, unauthorized } from "../../domain/errors.ts";
import type { JobRow, PipelineRow, ProjectRow } from "../../store/rows.ts";
import { jobs, pipelines } from "../../store/schema.ts";
import type { ApiContext } from "../env.ts";
import { findProject } from "./project-store.ts";

/** The signed-in actor, or 401. */
export function requireActor(c: ApiContext): Actor {
  const actor = c.get("actor");
  if (!actor) throw unauthorized();
  return actor;
}

/** The actor, when allowed the global action; 401 when anonymous, 403 otherwise. */
export function requireGlobal(c: ApiContext, action: GlobalAction): Actor {
  const actor = requireActor(c);
  if (!can(actor, action)) throw forbidden();
  return actor;
}

export interface ProjectAccess {
  project: ProjectRow;
  /** The actor's membership level (0 for none). */
  level: number;
  actor: Actor | null;
}

/** Throws the error for a decision other than "ok"; `what` names the thing in the 404 message. */
function enforce(actor: Actor | null, action: ProjectAction, ctx: ProjectContext, what: string): void {
  const decision = decide(actor, action, ctx);
  if (decision === "unauthorized") throw unauthorized();
  if (decision === "not_found") throw notFound(what);
  if (decision === "forbidden") throw forbidden();
}

/** The route's `:id` project if the actor may do `action` on it (404 when missing or invisible). */
export function loadProject(c: ApiContext, action: ProjectAction, extra: Partial<ProjectContext> = {}): ProjectAccess {
  const actor = c.get("actor");
  const db = c.get("deps").store.db;
  const project = findProject(db, c.req.param("id") ?? "");
  if (!project) throw actor ? notFound("Project") : unauthorized();
  const level = actor ? accessLevel(db, actor.user, project) : 0;
  enforce(actor, "read_project", { project, level }, "Project");
  enforce(actor, action, { project, level, ...extra }, "Project");
  return { project, level, actor };
}

/** Whether the actor may also do `action` here (for optional extras such as revealing masked values). */
export function allowed(access: ProjectAccess, action: ProjectAction): boolean {
  return can(access.actor, action, { project: access.project, level: access.level });
}

/** The route's `:pipeline_id` in the route's project, for `action`. */
export function loadPipeline(c: ApiContext, action: ProjectAction): ProjectAccess & { pipeline: PipelineRow } {
  const access = loadProject(c, "read_project");
  const id = Number(c.req.param("pipeline_id"));
  const pipeline = Number.isSafeInteger(id)
    ? c
        .get("deps")
        .store.db.select()
        .from(pipelines)
        .where(and(eq(pipelines.id, id), eq(pipelines.projectId, access.project.id)))
        .get()
    : undefined;
  if (!pipeline) throw notFound("Pipeline");
  enforce(access.actor, action, access, "Pipeline");
  return { ...access, pipeline };
}

/** The route's `:job_id` in the route's project, for `action` (open_terminal considers who started the job). */
export function loadJob(c: ApiContext, action: ProjectAction): ProjectAccess & { job: JobRow } {
  const access = loadProject(c, "read_project");
  const id = Number(c.req.param("job_id"));
  const job = Number.isSafeInteger(id)
    ? c
        .get("deps")
        .store.db.select()
        .from(jobs)
        .where(and(eq(jobs.id, id), eq(jobs.projectId, access.project.id)))
        .get()
    : undefined;
  if (!job) throw notFound("Job");
  enforce(access.actor, action, { ...access, job }, "Job");
  return { ...access, job };
}
