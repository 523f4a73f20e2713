// THE place that decides who may do what: GitLab's roles per project, visibility, token scopes, admin.
import type { Db } from "../store/db.ts";
import type { ProjectVisibility } from "../store/projects.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { ProjectRow, UserRow } from "../store/rows.ts";
import type { Actor } from "./actor.ts";
import { todayUtc } from "./tokens.ts";

export const ROLES = { guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50 } as const;
export const ACCESS_LEVELS: readonly number[] = Object.values(ROLES);

/** Least role per project action; `view` means "anyone who can see the project" on public/internal projects. */
const PROJECT_RULES = {
  read_project: { level: ROLES.guest, write: false, view: true },
  read_members: { level: ROLES.guest, write: false, view: true },
  read_pipeline: { level: ROLES.reporter, write: false, view: true },
  read_job: { level: ROLES.reporter, write: false, view: true },
  read_job_log: { level: ROLES.reporter, write: false, view: true },
  read_code: { level: ROLES.reporter, write: false, view: true },
  lint_ci: { level: ROLES.reporter, write: false, view: false },
  /** A pipeline's own variables may hold what its creator typed: Developers (GitLab's read_pipeline_variable). */
  read_pipeline_variables: { level: ROLES.developer, write: false, view: false },
  create_commit_status: { level: ROLES.developer, write: true, view: false },
  leave_project: { level: ROLES.guest, write: true, view: false },
  create_pipeline: { level: ROLES.developer, write: true, view: false },
  update_pipeline: { level: ROLES.developer, write: true, view: false },
  update_job: { level: ROLES.developer, write: true, view: false },
  delete_job_artifacts: { level: ROLES.maintainer, write: true, view: false },
  open_terminal: { level: ROLES.developer, write: true, view: false },
  /** A job's terminal sessions and their recordings: members from Reporter up, never the public. */
  read_terminal_recordings: { level: ROLES.reporter, write: false, view: false },
  /** Watching a terminal through a read-only share link (the link is needed as well). */
  watch_shared_terminal: { level: ROLES.reporter, write: false, view: false },
  /** Making and revoking read-only share links of a job's terminal. */
  share_terminal: { level: ROLES.maintainer, write: true, view: false },
  admin_variables: { level: ROLES.maintainer, write: true, view: false },
  admin_members: { level: ROLES.maintainer, write: true, view: false },
  admin_triggers: { level: ROLES.maintainer, write: true, view: false },
  read_protected_branches: { level: ROLES.developer, write: false, view: false },
  admin_protected_branches: { level: ROLES.maintainer, write: true, view: false },
  read_audit: { level: ROLES.maintainer, write: false, view: false },
  update_project: { level: ROLES.maintainer, write: true, view: false },
  admin_webhooks: { level: ROLES.maintainer, write: true, view: false },
  push_code: { level: ROLES.developer, write: true, view: false },
  read_pipeline_schedules: { level: ROLES.reporter, write: false, view: false },
  admin_pipeline_schedules: { level: ROLES.developer, write: true, view: false },
  take_schedule_ownership: { level: ROLES.maintainer, write: true, view: false },
  /** Environments and deployments: Reporters, and anyone who can see a public or internal project (GitLab's). */
  read_environment: { level: ROLES.reporter, write: false, view: true },
  stop_environment: { level: ROLES.developer, write: true, view: false },
  read_resource_group: { level: ROLES.developer, write: false, view: false },
  update_resource_group: { level: ROLES.developer, write: true, view: false },
  delete_pipeline: { level: ROLES.owner, write: true, view: false },
  change_visibility: { level: ROLES.owner, write: true, view: false },
  delete_project: { level: ROLES.owner, write: true, view: false },
} as const;
export type ProjectAction = keyof typeof PROJECT_RULES;

/** What CI_JOB_TOKEN may do inside its own project (GitLab allows a similarly short list). */
const JOB_TOKEN_ACTIONS: ReadonlySet<ProjectAction> = new Set([
  "read_project",
  "read_pipeline",
  "read_job",
  "read_code",
  "create_pipeline",
]);

export type GlobalAction = "admin_users" | "admin_runners" | "create_project" | "read_users";

export interface ProjectContext {
  project: ProjectRow;
  /** The actor's membership level in the project: `accessLevel(db, actor.user, project)`. */
  level: number;
  /** For job actions: who started the job (open_terminal lets Developers into their own jobs only). */
  job?: { userId: number | null };
  /** For admin_members: the member's level before and after the change; only Owners may touch Owner level. */
  memberChange?: { from?: number; to?: number };
}

/** The user's role in the project: their unexpired membership level, or 0. */
export function accessLevel(db: Db, user: Pick<UserRow, "id">, project: Pick<ProjectRow, "id">): number {
  return repositoriesOf(db).members.levelOf(project.id, user.id, todayUtc());
}

/** Whether the credential's scopes allow an HTTP method: `read_api` only reads. */
export function scopeAllows(actor: Actor, method: string): boolean {
  const reading = method === "GET" || method === "HEAD" || method === "OPTIONS";
  return reading || actor.scopes.includes("api");
}

/** The single decision for global actions. */
export function can(actor: Actor | null, action: GlobalAction): boolean;
/** The single decision for project actions; `ctx.level` comes from accessLevel(). */
export function can(actor: Actor | null, action: ProjectAction, ctx: ProjectContext): boolean;
export function can(actor: Actor | null, action: GlobalAction | ProjectAction, ctx?: ProjectContext): boolean {
  if (!ctx) return canGlobal(actor, action as GlobalAction);
  const rule = PROJECT_RULES[action as ProjectAction];
  if (actor && rule.write && !actor.scopes.includes("api")) return false;
  if (actor?.via === "job") {
    if (actor.projectScope !== ctx.project.id || !JOB_TOKEN_ACTIONS.has(action as ProjectAction)) return false;
  } else if (actor?.via === "trigger" && action !== "create_pipeline" && action !== "read_project") {
    return false;
  } else if (actor?.user.admin) {
    return true;
  }
  if (rule.view && visibleWithoutMembership(actor, ctx.project)) return true;
  if (ctx.level < rule.level) return false;
  if (action === "open_terminal" && ctx.level < ROLES.maintainer) return ctx.job?.userId === actor?.user.id;
  if (action === "admin_members" && ctx.level < ROLES.owner) {
    const { from = 0, to = 0 } = ctx.memberChange ?? {};
    return from < ROLES.owner && to < ROLES.owner;
  }
  return true;
}

function canGlobal(actor: Actor | null, action: GlobalAction): boolean {
  if (!actor || actor.via === "job" || actor.via === "trigger") return false;
  switch (action) {
    case "read_users":
      return true;
    case "create_project":
      return actor.scopes.includes("api");
    case "admin_users":
    case "admin_runners":
      return actor.user.admin;
  }
}

function visibleWithoutMembership(actor: Actor | null, project: ProjectRow): boolean {
  return project.visibility === "public" || (project.visibility === "internal" && actor !== null);
}

/** Which projects `actor` can see (for lists), matching can(actor, "read_project"). */
export function visibleProjects(actor: Actor | null): ProjectVisibility {
  if (actor?.via === "job") return { kind: "only", projectId: actor.projectScope ?? -1 };
  if (actor?.user.admin) return { kind: "all" };
  if (!actor) return { kind: "public" };
  return { kind: "signed_in", userId: actor.user.id, today: todayUtc() };
}

export type Decision = "ok" | "unauthorized" | "not_found" | "forbidden";

/**
 * The HTTP-shaped answer for a project action: `unauthorized` (401) for anonymous callers that may not act,
 * `not_found` (404) when the actor may not even see the project, `forbidden` (403) when they see it but may not act.
 */
export function decide(actor: Actor | null, action: ProjectAction, ctx: ProjectContext): Decision {
  if (can(actor, action, ctx)) return "ok";
  if (!actor) return "unauthorized";
  return can(actor, "read_project", ctx) ? "forbidden" : "not_found";
}
