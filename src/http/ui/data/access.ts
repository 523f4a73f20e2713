// The pages' side of auth/access.ts: resolves the route's project, pipeline or job and turns refusals into pages.
import {
  authorize,
  type Denial,
  type ProjectAccess,
  type Resolution,
  resolveJob,
  resolvePipeline,
  resolveProject,
} from "../../../auth/access.ts";
import type { Actor } from "../../../auth/actor.ts";
import type { ProjectAction, ProjectContext } from "../../../auth/permissions.ts";
import { forbidden, notFound } from "../../../domain/errors.ts";
import type { JobKind } from "../../../store/jobs.ts";
import type { JobRow, PipelineRow } from "../../../store/rows.ts";
import type { UiContext } from "../env.ts";
import { SignInRequired } from "../page-error.ts";

export { allowed, type ProjectAccess } from "../../../auth/access.ts";

/** The signed-in user, or a redirect to sign in. */
export function requireActor(c: UiContext): Actor {
  const actor = c.get("actor");
  if (!actor) throw new SignInRequired();
  return actor;
}

/** A page's answer to a refusal: sign in first (anonymous), `<What> not found` (404) or 403. */
function refusal(decision: Denial["decision"], what: Denial["what"]): Error {
  if (decision === "unauthorized") return new SignInRequired();
  if (decision === "not_found") return notFound(what);
  return forbidden();
}

function granted<T>(resolution: Resolution<T>): T {
  if (!resolution.ok) throw refusal(resolution.decision, resolution.what);
  return resolution;
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
  return granted(resolveProject(c.get("deps").store.db, c.get("actor"), `${namespace}/${path}`, action));
}

const routeRef = (c: UiContext) => `${c.req.param("namespace") ?? ""}/${c.req.param("project") ?? ""}`;

/** The project named by the route's `:namespace/:project`, for `action` (see loadProject). */
export function routeProject(c: UiContext, action: ProjectAction = "read_project"): ProjectAccess {
  return granted(resolveProject(c.get("deps").store.db, c.get("actor"), routeRef(c), action));
}

/** The route's pipeline `:id` in its project, for `action`. */
export function routePipeline(c: UiContext, action: ProjectAction): ProjectAccess & { pipeline: PipelineRow } {
  return granted(
    resolvePipeline(c.get("deps").store.db, c.get("actor"), routeRef(c), Number(c.req.param("id")), action),
  );
}

/** The route's job `:id` in its project, for `action` (the job's starter matters for terminals). */
/** The route's job (a build, or with `kinds` a bridge too) if the actor may do `action` on it. */
export function routeJob(
  c: UiContext,
  action: ProjectAction,
  kinds: JobKind[] = ["build"],
): ProjectAccess & { job: JobRow } {
  const id = Number(c.req.param("id"));
  return granted(resolveJob(c.get("deps").store.db, c.get("actor"), routeRef(c), id, action, kinds));
}

/** The route's numeric parameter `name` (e.g. `:id`), or a 404 when it is not a positive integer. */
export function routeId(c: UiContext, name = "id"): number {
  const n = Number(c.req.param(name));
  if (!Number.isSafeInteger(n) || n <= 0) throw notFound("Page");
  return n;
}

/** Throws unless allowed: 404 when the visitor cannot even read the project, else 403. */
export function requireAllowed(
  access: ProjectAccess,
  action: ProjectAction,
  extra: Partial<ProjectContext> = {},
): void {
  const decision = authorize(access, action, extra);
  if (decision !== "ok") throw refusal(decision, "Project");
}
