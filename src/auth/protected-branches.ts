// Protected branches per project: name patterns (`main`, `release/*`) that decide which refs see protected variables.
import { badRequest, conflict, notFound } from "../domain/errors.ts";

export { branchMatches, isProtectedRef } from "../domain/protected-branch.ts";

import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { ProtectedBranchRow } from "../store/rows.ts";

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
  if (problem) throw badRequest("400 Bad request", { name: [problem] });
  if (findProtectedBranch(db, projectId, name)) throw conflict(`Protected branch '${name}' already exists`);
  return repositoriesOf(db).protectedBranches.insert(projectId, name);
}

/** Unprotects `name`. Throws not_found when it is not protected. */
export function unprotectBranch(db: Db, projectId: number, name: string): ProtectedBranchRow {
  const row = repositoriesOf(db).protectedBranches.delete(projectId, name);
  if (!row) throw notFound("Protected Branch");
  return row;
}
