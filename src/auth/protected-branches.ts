// Protected branches per project: name patterns (`main`, `release/*`) that decide which refs see protected variables
// and who may run pipelines and jobs on them.
import { conflict, invalid, notFound } from "../domain/errors.ts";
import { isProtectedRef } from "../domain/protected-branch.ts";

export { branchMatches, isProtectedRef } from "../domain/protected-branch.ts";

import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { ProjectRow, ProtectedBranchRow } from "../store/rows.ts";
import { accessLevel, ROLES } from "./permissions.ts";
import { findUserById } from "./users.ts";

/** The push and merge access every protection grants: porthole has no per-branch levels, GitLab's default is this. */
export const PROTECTED_BRANCH_ACCESS_LEVEL = ROLES.maintainer;

/** Characters a git branch may not hold; `*` is allowed here because it is the pattern's wildcard. */
const INVALID = /[\s~^:?[\\\x00-\x1f\x7f]/;

/** Why `name` cannot be a protected branch pattern, or null. */
export function checkBranchPattern(name: string): string | null {
  const bad =
    name.length === 0 ||
    name.length > 255 ||
    name.startsWith("-") ||
    name.startsWith("/") ||
    name.endsWith("/") ||
    name.includes("..") ||
    name.includes("//") ||
    name.includes("@{") ||
    INVALID.test(name);
  return bad ? "is invalid" : null;
}

/** The project's protected branch rows, oldest first. */
export function listProtectedBranches(db: Db, projectId: number): ProtectedBranchRow[] {
  return repositoriesOf(db).protectedBranches.ofProject(projectId);
}

export function findProtectedBranch(db: Db, projectId: number, name: string): ProtectedBranchRow | null {
  return repositoriesOf(db).protectedBranches.find(projectId, name);
}

/** Protects `name`. Throws bad_request for an invalid pattern, conflict when it is already protected. */
export function protectBranch(db: Db, projectId: number, name: string): ProtectedBranchRow {
  const problem = checkBranchPattern(name);
  if (problem) throw invalid({ name: [problem] });
  if (findProtectedBranch(db, projectId, name)) throw conflict(`Protected branch '${name}' already exists`);
  return repositoriesOf(db).protectedBranches.insert(projectId, name);
}

/** Unprotects `name`. Throws not_found when it is not protected. */
export function unprotectBranch(db: Db, projectId: number, name: string): ProtectedBranchRow {
  const row = repositoriesOf(db).protectedBranches.delete(projectId, name);
  if (!row) throw notFound("Protected Branch");
  return row;
}

/**
 * GitLab's rule for starting pipelines and jobs (create, retry, play, trigger): on a protected branch only a user
 * allowed to push or merge to it may, that is a Maintainer or an admin; unprotected branches and tags are open.
 * `userId` is who the action runs as (a trigger token's owner, a job token's user); null or inactive: refused.
 */
export function mayRunOnRef(
  db: Db,
  userId: number | null,
  project: Pick<ProjectRow, "id">,
  ref: { name: string; tag: boolean },
): boolean {
  const patterns = listProtectedBranches(db, project.id).map((row) => row.name);
  if (!isProtectedRef(patterns, ref)) return true;
  const user = userId === null ? null : findUserById(db, userId);
  if (user?.state !== "active") return false;
  return user.admin || accessLevel(db, user, project) >= PROTECTED_BRANCH_ACCESS_LEVEL;
}
