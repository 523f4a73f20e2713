// Resource groups per project (`resource_group` keys) with their process mode, and the jobs waiting for one.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import type { JobRow, ResourceGroupRow } from "./rows.ts";
import { jobs, resourceGroups } from "./schema.ts";

export type ProcessMode = ResourceGroupRow["processMode"];
const groupKey = sql<string>`json_extract(${jobs.spec}, '$.resourceGroup')`;

export function createResourceGroupsRepository({ db }: { db: DbHandle }) {
  const find = (projectId: number, key: string): ResourceGroupRow | null =>
    db
      .select()
      .from(resourceGroups)
      .where(and(eq(resourceGroups.projectId, projectId), eq(resourceGroups.key, key)))
      .get() ?? null;
  return {
    find,

    /** The group `key` of the project, made (unordered) when new. */
    findOrCreate(projectId: number, key: string): ResourceGroupRow {
      db.insert(resourceGroups).values({ projectId, key }).onConflictDoNothing().run();
      return find(projectId, key)!;
    },

    ofProject: (projectId: number): ResourceGroupRow[] =>
      db
        .select()
        .from(resourceGroups)
        .where(eq(resourceGroups.projectId, projectId))
        .orderBy(asc(resourceGroups.key))
        .all(),

    setProcessMode(id: number, processMode: ProcessMode): ResourceGroupRow {
      return db
        .update(resourceGroups)
        .set({ processMode, updatedAt: new Date() })
        .where(eq(resourceGroups.id, id))
        .returning()
        .get()!;
    },

    /** The project's jobs of group `key` in one of `statuses` (current tries only), oldest first. */
    jobsOfGroup: (projectId: number, key: string, statuses: JobRow["status"][]): JobRow[] =>
      db
        .select()
        .from(jobs)
        .where(
          and(
            eq(jobs.projectId, projectId),
            inArray(jobs.status, statuses),
            eq(jobs.retried, false),
            eq(groupKey, key),
          ),
        )
        .orderBy(asc(jobs.id))
        .all(),

    /** Every (project, key) that has a job waiting for its resource. */
    waitingGroups: (): { projectId: number; key: string }[] =>
      db
        .selectDistinct({ projectId: jobs.projectId, key: groupKey })
        .from(jobs)
        .where(eq(jobs.status, "waiting_for_resource"))
        .all(),
  };
}
