// Route guards: resolve what a route acts on through auth/access.ts and answer its refusals the GitLab way.
import {
  type Denial,
  type ProjectAccess,
  type Resolution,
  resolveJob,
  resolvePipeline,
  resolveProject,
} from "../../auth/access.ts";
import type { Actor } from "../../auth/actor.ts";
import { can, type GlobalAction, type ProjectAction, type ProjectContext } from "../../auth/permissions.ts";
import { forbidden, notFound, unauthorized } from "../../domain/errors.ts";
import type { JobKind } from "../../store/jobs.ts";
import type { JobRow, PipelineRow } from "../../store/rows.ts";
import type { ApiContext } from "../env.ts";

export { allowed, type ProjectAccess } from "../../auth/access.ts";

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

/** The API's answer to a refusal: 401, `404 <What> Not Found` or 403. */
function refusal(denial: Denial): Error {
  if (denial.decision === "unauthorized") return unauthorized();
  if (denial.decision === "not_found") return notFound(denial.what);
  return forbidden();
}

function granted<T>(resolution: Resolution<T>): T {
  if (!resolution.ok) throw refusal(resolution);
  return resolution;
}

/** The route's `:id` project if the actor may do `action` on it (404 when missing or invisible). */
export function loadProject(c: ApiContext, action: ProjectAction, extra: Partial<ProjectContext> = {}): ProjectAccess {
  return granted(resolveProject(c.get("deps").store.db, c.get("actor"), c.req.param("id") ?? "", action, extra));
}

/** The route's `:pipeline_id` in the route's project, for `action`. */
export function loadPipeline(c: ApiContext, action: ProjectAction): ProjectAccess & { pipeline: PipelineRow } {
  const id = Number(c.req.param("pipeline_id"));
  return granted(resolvePipeline(c.get("deps").store.db, c.get("actor"), c.req.param("id") ?? "", id, action));
}

/** The route's `:job_id` in the route's project, for `action` (open_terminal considers who started the job). */
export function loadJob(
  c: ApiContext,
  action: ProjectAction,
  kinds: JobKind[] = ["build"],
): ProjectAccess & { job: JobRow } {
  const id = Number(c.req.param("job_id"));
  return granted(resolveJob(c.get("deps").store.db, c.get("actor"), c.req.param("id") ?? "", id, action, kinds));
}
