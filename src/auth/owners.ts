// The rule that a project keeps at least one Owner, for the API and the members page alike.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../store/db.ts";
import type { MemberRow } from "../store/rows.ts";
import { members } from "../store/schema.ts";
import { ROLES } from "./permissions.ts";

/** Whether changing `current` to `level` (or removing it, `null`) would leave its project without an Owner. */
export function leavesNoOwner(
  db: Db,
  current: Pick<MemberRow, "projectId" | "accessLevel">,
  level: number | null,
): boolean {
  if (current.accessLevel !== ROLES.owner || (level !== null && level >= ROLES.owner)) return false;
  const owners =
    db
      .select({ n: sql<number>`count(*)` })
      .from(members)
      .where(and(eq(members.projectId, current.projectId), eq(members.accessLevel, ROLES.owner)))
      .get()?.n ?? 0;
  return owners <= 1;
}
