// Protected branch patterns of a project.
import { and, asc, eq } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import type { ProtectedBranchRow } from "./rows.ts";
import { protectedBranches } from "./schema.ts";

export function createProtectedBranchesRepository({ db }: { db: DbHandle }) {
  const named = (projectId: number, name: string) =>
    and(eq(protectedBranches.projectId, projectId), eq(protectedBranches.name, name));
  return {
    /** The project's patterns, oldest first. */
    ofProject: (projectId: number): ProtectedBranchRow[] =>
      db
        .select()
        .from(protectedBranches)
        .where(eq(protectedBranches.projectId, projectId))
        .orderBy(asc(protectedBranches.id))
        .all(),

    find: (projectId: number, name: string): ProtectedBranchRow | null =>
      db.select().from(protectedBranches).where(named(projectId, name)).get() ?? null,

    insert: (projectId: number, name: string): ProtectedBranchRow =>
      db.insert(protectedBranches).values({ projectId, name }).returning().get(),

    /** Removes the pattern; the row, or null when it was not there. */
    delete: (projectId: number, name: string): ProtectedBranchRow | null =>
      db.delete(protectedBranches).where(named(projectId, name)).returning().get() ?? null,
  };
}
