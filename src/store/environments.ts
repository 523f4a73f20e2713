// Environments per project: found or made by name, listed, stopped, and the ones whose auto-stop is due.
import { and, asc, eq, isNotNull, lte, min, ne, sql } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import { likePattern, type PageOf, type PageWindow, paginate } from "./paginate.ts";
import type { EnvironmentRow } from "./rows.ts";
import { environments } from "./schema.ts";

export type EnvironmentChanges = Partial<Pick<EnvironmentRow, "state" | "externalUrl" | "tier" | "autoStopAt">>;

export function createEnvironmentsRepository({ db }: { db: DbHandle }) {
  const byName = (projectId: number, name: string) =>
    db
      .select()
      .from(environments)
      .where(and(eq(environments.projectId, projectId), eq(environments.name, name)))
      .get() ?? null;
  return {
    findByName: byName,

    /** The environment `name` of the project, made (available) when it does not exist yet. */
    findOrCreate(projectId: number, name: string, slug: string, tier: string): EnvironmentRow {
      db.insert(environments).values({ projectId, name, slug, tier }).onConflictDoNothing().run();
      return byName(projectId, name)!;
    },

    findInProject: (projectId: number, id: number): EnvironmentRow | null =>
      db
        .select()
        .from(environments)
        .where(and(eq(environments.projectId, projectId), eq(environments.id, id)))
        .get() ?? null,

    findById: (id: number): EnvironmentRow | null =>
      db.select().from(environments).where(eq(environments.id, id)).get() ?? null,

    /** The project's environments by name; `state`, `name` and `search` (part of the name, any case) filter. */
    pageOfProject(
      projectId: number,
      filter: { state?: EnvironmentRow["state"]; name?: string; search?: string },
      page: PageWindow,
    ): PageOf<EnvironmentRow> {
      const where = and(
        eq(environments.projectId, projectId),
        filter.state ? eq(environments.state, filter.state) : undefined,
        filter.name !== undefined ? eq(environments.name, filter.name) : undefined,
        filter.search !== undefined
          ? sql`lower(${environments.name}) like ${likePattern(filter.search)} ESCAPE '\\'`
          : undefined,
      );
      const query = db.select().from(environments).where(where).orderBy(asc(environments.name));
      return paginate(db, query, { table: environments, where }, page);
    },

    update(id: number, changes: EnvironmentChanges): EnvironmentRow {
      return db
        .update(environments)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(environments.id, id))
        .returning()
        .get()!;
    },

    /** Environments not stopped whose auto-stop time is at or before `now`. */
    dueToStop: (now: Date): EnvironmentRow[] =>
      db
        .select()
        .from(environments)
        .where(and(ne(environments.state, "stopped"), lte(environments.autoStopAt, now)))
        .all(),

    /** The soonest auto-stop of an environment not stopped yet, or null. */
    nextAutoStop(): Date | null {
      const row = db
        .select({ at: min(environments.autoStopAt) })
        .from(environments)
        .where(and(ne(environments.state, "stopped"), isNotNull(environments.autoStopAt)))
        .get();
      return row?.at ?? null;
    },
  };
}
