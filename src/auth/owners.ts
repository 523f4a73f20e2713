// The rule that a project keeps at least one Owner, for the API and the members page alike.
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { MemberRow } from "../store/rows.ts";
import { ROLES } from "./permissions.ts";

/** Whether changing `current` to `level` (or removing it, `null`) would leave its project without an Owner. */
export function leavesNoOwner(
  db: Db,
  current: Pick<MemberRow, "projectId" | "accessLevel">,
  level: number | null,
): boolean {
  if (current.accessLevel !== ROLES.owner || (level !== null && level >= ROLES.owner)) return false;
  return repositoriesOf(db).members.countAtLevel(current.projectId, ROLES.owner) <= 1;
}
