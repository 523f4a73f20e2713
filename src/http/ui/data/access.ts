// Finds the project a page is about and asks permissions.ts (the single place that decides) what the user may do.
import { and, sql } from "drizzle-orm";
import type { Actor } from "../../../auth/actor.ts";
import { accessLevel, can, type ProjectAction, type ProjectContext } from "../../../auth/permissions.ts";
import { forbidden, notFound } from "../../../domain/errors.ts";
import type { ProjectRow } from "../../../store/rows.ts";
import { projects } from "../../../store/schema.ts";
import type { UiContext } from "../env.ts";
import { SignInRequired } from "../page-error.ts";

export interface ProjectAccess {
  project: ProjectRow;
  /** The user's membership level (0 for none). */
  level: number;
}

/** The signed-in user, or a redirect to sign in. */
export function requireActor(c: UiContext): Actor {
  const actor = c.get("actor");
  if (!actor) throw new SignInRequired();
  return actor;
}

/**
 * The project at `/<namespace>/<path>` (case-insensitive, as GitLab's routes) if the visitor may do `action`.
 * Throws 404 when it is missing or invisible to them (a redirect to sign in for anonymous visitors), 403 when visible
 * but not allowed.
 */
export function loadProject(
  c: UiContext,
  namespace: string,
  path: string,
  action: ProjectAction = "read_project",
): ProjectAccess {
  const db = c.get("deps").store.db;
  const project = db
    .select()
    .from(projects)
    .where(
      and(
        sql`lower(${projects.namespace}) = ${namespace.toLowerCase()}`,
        sql`lower(${projects.path}) = ${path.toLowerCase()}`,
      ),
    )
    .get();
  if (!project) throw notFoundFor(c);
  const actor = c.get("actor");
  const access = { project, level: actor ? accessLevel(db, actor.user, project) : 0 };
  requireAllowed(c, access, action);
  return access;
}

/** The project named by the route's `:namespace/:project`, for `action` (see loadProject). */
export function routeProject(c: UiContext, action: ProjectAction = "read_project"): ProjectAccess {
  return loadProject(c, c.req.param("namespace") ?? "", c.req.param("project") ?? "", action);
}

/** The route's numeric parameter `name` (e.g. `:id`), or a 404 when it is not a positive integer. */
export function routeId(c: UiContext, name = "id"): number {
  const n = Number(c.req.param(name));
  if (!Number.isSafeInteger(n) || n <= 0) throw notFound("Page");
  return n;
}

/** Whether the visitor may do `action` in the project (the job's starter matters for terminals). */
export function allowed(
  c: UiContext,
  access: ProjectAccess,
  action: ProjectAction,
  extra: Partial<ProjectContext> = {},
): boolean {
  return can(c.get("actor"), action, { ...extra, project: access.project, level: access.level });
}

/** Throws unless allowed: 404 when the visitor cannot even read the project, else 403. */
export function requireAllowed(
  c: UiContext,
  access: ProjectAccess,
  action: ProjectAction,
  extra: Partial<ProjectContext> = {},
): void {
  if (allowed(c, access, action, extra)) return;
  throw allowed(c, access, "read_project") ? (c.get("actor") ? forbidden() : new SignInRequired()) : notFoundFor(c);
}

const notFoundFor = (c: UiContext) => (c.get("actor") ? notFound("Project") : new SignInRequired());
