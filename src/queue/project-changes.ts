// Creating, changing and deleting projects with their checks (name, path, import URL, branch), for the API and the
// pages alike; rows: store/projects.ts, the attribute rules: domain/project-rules.ts.
import type { Actor } from "../auth/actor.ts";
import { ROLES } from "../auth/permissions.ts";
import { invalid } from "../domain/errors.ts";
import {
  checkBranchName,
  checkCiConfigPath,
  checkImportUrl,
  checkProjectName,
  checkProjectPath,
  pathFromName,
} from "../domain/project-rules.ts";
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { ProjectRow } from "../store/rows.ts";
import { importAllowlist, importUrlProblem } from "./import-target.ts";

/** Mirror polling's bounds: no forge is asked more often than every 10 s; once a day at least. */
const MIN_POLL_SECONDS = 10;
const MAX_POLL_SECONDS = 86_400;
const MAX_DEBUG_WAIT_SECONDS = 86_400;

export interface ProjectFields {
  name?: string;
  path?: string;
  description?: string | null;
  visibility?: ProjectRow["visibility"];
  import_url?: string | null;
  ci_config?: string | null;
  ci_config_path?: string;
  default_branch?: string;
  /** Seconds between fetches of import_url (porthole's mirror polling); null: off. */
  mirror_poll_interval?: number | null;
  /** Seconds a failed job waits for a terminal by default (porthole's debug on failure); null or 0: off. */
  debug_on_failure?: number | null;
}

/**
 * The network half of the `import_url` check, run before create and update: a non-admin's URL whose host resolves
 * to a loopback, private or link-local address is refused with the one generic message.
 */
export async function checkImportTarget(
  actor: Actor["user"],
  input: ProjectFields,
  allowlist: readonly string[],
): Promise<void> {
  if (!input.import_url) return;
  const problem = await importUrlProblem(input.import_url, actor.admin, importAllowlist(allowlist));
  if (problem) throw invalid({ import_url: [problem] });
}

/** Creates a project in the creator's namespace and makes them its Owner, in one transaction. */
export function createProject(db: Db, creator: Actor["user"], input: ProjectFields): ProjectRow {
  const name = input.name ?? input.path ?? "";
  const path = input.path ?? pathFromName(name);
  validate(db, creator, { ...input, name, path }, null);
  return repositoriesOf(db).projects.createWithOwner(
    {
      name,
      path,
      namespace: creator.username,
      description: input.description ?? null,
      visibility: input.visibility ?? "private",
      importUrl: input.import_url || null,
      ciConfig: input.ci_config ?? null,
      ciConfigPath: input.ci_config_path ?? ".gitlab-ci.yml",
      defaultBranch: input.default_branch ?? "main",
      mirrorPollInterval: input.mirror_poll_interval ?? null,
      debugOnFailure: input.debug_on_failure || null,
      creatorId: creator.id,
      lastActivityAt: new Date(),
    },
    ROLES.owner,
  );
}

/** Applies changed attributes; same checks as creation. */
export function updateProject(db: Db, actor: Actor["user"], project: ProjectRow, input: ProjectFields): ProjectRow {
  validate(db, actor, input, project);
  return repositoriesOf(db).projects.update(project.id, {
    name: input.name,
    path: input.path,
    description: input.description,
    visibility: input.visibility,
    importUrl: input.import_url === undefined ? undefined : input.import_url || null,
    ciConfig: input.ci_config,
    ciConfigPath: input.ci_config_path,
    defaultBranch: input.default_branch,
    mirrorPollInterval: input.mirror_poll_interval,
    debugOnFailure: input.debug_on_failure === undefined ? undefined : input.debug_on_failure || null,
    lastActivityAt: new Date(),
  });
}

export function deleteProject(db: Db, id: number): void {
  repositoriesOf(db).projects.delete(id);
}

function validate(db: Db, actor: Actor["user"], input: ProjectFields, existing: ProjectRow | null): void {
  const fields: Record<string, string[]> = {};
  const add = (field: string, problem: string | null) => {
    if (problem) fields[field] = [problem];
  };
  if (input.name !== undefined) add("name", checkProjectName(input.name));
  if (input.path !== undefined) add("path", checkProjectPath(input.path));
  if (input.import_url) add("import_url", checkImportUrl(input.import_url, actor.admin));
  if (input.ci_config_path !== undefined) add("ci_config_path", checkCiConfigPath(input.ci_config_path));
  if (input.default_branch !== undefined) add("default_branch", checkBranchName(input.default_branch));
  const poll = input.mirror_poll_interval;
  if (poll != null && (poll < MIN_POLL_SECONDS || poll > MAX_POLL_SECONDS))
    add("mirror_poll_interval", `must be between ${MIN_POLL_SECONDS} and ${MAX_POLL_SECONDS} seconds`);
  const wait = input.debug_on_failure;
  if (wait != null && (wait < 0 || wait > MAX_DEBUG_WAIT_SECONDS))
    add("debug_on_failure", `must be between 0 and ${MAX_DEBUG_WAIT_SECONDS} seconds`);
  const namespace = existing?.namespace ?? actor.username;
  for (const key of ["name", "path"] as const) {
    const value = input[key];
    if (value === undefined || fields[key]) continue;
    const clash = repositoriesOf(db).projects.idWithSame(namespace, key, value);
    if (clash !== null && clash !== existing?.id) fields[key] = ["has already been taken"];
  }
  if (Object.keys(fields).length > 0) throw invalid(fields);
}
