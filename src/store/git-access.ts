// Lookups for git over HTTP: the project a repository path names, and the job a job token belongs to.
import { and, eq } from "drizzle-orm";
import type { Db } from "./db.ts";
import type { JobRow, ProjectRow } from "./rows.ts";
import { jobs, projects } from "./schema.ts";

export function createGitAccessStore(db: Db) {
  return {
    findProject: (namespace: string, path: string): ProjectRow | null =>
      db
        .select()
        .from(projects)
        .where(and(eq(projects.namespace, namespace), eq(projects.path, path)))
        .get() ?? null,

    /** The job whose job token hashes to `tokenHash`, whatever its state (the caller decides). */
    findJobByTokenHash: (tokenHash: string): JobRow | null =>
      db.select().from(jobs).where(eq(jobs.tokenHash, tokenHash)).get() ?? null,
  };
}
