// Pipeline trigger tokens of a project: stored by hash, found by token, listed, deleted.
import { and, asc, eq } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import { type PageOf, type PageWindow, paginate } from "./paginate.ts";
import type { TriggerRow } from "./rows.ts";
import { triggers, users } from "./schema.ts";

export function createTriggersRepository({ db }: { db: DbHandle }) {
  return {
    insert: (values: typeof triggers.$inferInsert): TriggerRow => db.insert(triggers).values(values).returning().get(),

    findByHash: (projectId: number, hash: string): TriggerRow | null =>
      db
        .select()
        .from(triggers)
        .where(and(eq(triggers.tokenHash, hash), eq(triggers.projectId, projectId)))
        .get() ?? null,

    /** Deletes the project's trigger `id`; the row, or null when the project has no such trigger. */
    deleteInProject: (projectId: number, id: number): TriggerRow | null =>
      db
        .delete(triggers)
        .where(and(eq(triggers.id, id), eq(triggers.projectId, projectId)))
        .returning()
        .get() ?? null,

    /** The project's triggers, oldest first, with their owner's username. */
    withOwnersOfProject: (projectId: number): { trigger: TriggerRow; owner: string | null }[] =>
      db
        .select({ trigger: triggers, owner: users.username })
        .from(triggers)
        .leftJoin(users, eq(users.id, triggers.ownerId))
        .where(eq(triggers.projectId, projectId))
        .orderBy(asc(triggers.id))
        .all(),

    pageOfProject(projectId: number, page: PageWindow): PageOf<TriggerRow> {
      const where = eq(triggers.projectId, projectId);
      return paginate(
        db,
        db.select().from(triggers).where(where).orderBy(asc(triggers.id)),
        { table: triggers, where },
        page,
      );
    },
  };
}
