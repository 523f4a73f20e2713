// Runners: stored by token hash, the embedded one found by name, paused, contacted, listed and deleted.
import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import { countRows, type PageOf, type PageWindow, paginate } from "./paginate.ts";
import type { RunnerRow } from "./rows.ts";
import { runners } from "./schema.ts";

export interface RunnerListFilters {
  type?: RunnerRow["runnerType"];
  paused?: boolean;
  /** Runners carrying every one of these tags. */
  tags?: string[];
}

export function createRunnersRepository({ db }: { db: DbHandle }) {
  return {
    insert: (values: typeof runners.$inferInsert): RunnerRow => db.insert(runners).values(values).returning().get(),

    findById: (id: number): RunnerRow | null => db.select().from(runners).where(eq(runners.id, id)).get() ?? null,

    findByTokenHash: (hash: string): RunnerRow | null =>
      db.select().from(runners).where(eq(runners.tokenHash, hash)).get() ?? null,

    findEmbedded: (name: string): RunnerRow | null =>
      db
        .select()
        .from(runners)
        .where(and(eq(runners.embedded, true), eq(runners.description, name)))
        .get() ?? null,

    embeddedIds: (): number[] =>
      db
        .select({ id: runners.id })
        .from(runners)
        .where(eq(runners.embedded, true))
        .all()
        .map((r) => r.id),

    touchContacted(id: number, at: Date): void {
      db.update(runners).set({ contactedAt: at }).where(eq(runners.id, id)).run();
    },

    setPaused(id: number, paused: boolean): void {
      db.update(runners).set({ paused }).where(eq(runners.id, id)).run();
    },

    delete(id: number): void {
      db.delete(runners).where(eq(runners.id, id)).run();
    },

    all: (): RunnerRow[] => db.select().from(runners).orderBy(asc(runners.id)).all(),

    count: (): number => countRows(db, runners),

    page(f: RunnerListFilters, page: PageWindow): PageOf<RunnerRow> {
      const conditions: SQL[] = [];
      if (f.type) conditions.push(eq(runners.runnerType, f.type));
      if (f.paused !== undefined) conditions.push(eq(runners.paused, f.paused));
      for (const tag of f.tags ?? [])
        conditions.push(sql`EXISTS (SELECT 1 FROM json_each(${runners.tags}) WHERE value = ${tag})`);
      const where = and(...conditions);
      return paginate(
        db,
        db.select().from(runners).where(where).orderBy(asc(runners.id)),
        { table: runners, where },
        page,
      );
    },
  };
}
