// Runners: stored by token hash, the embedded one found by name, paused, contacted (with what they report), listed
// and deleted.
import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import { countRows, type PageOf, type PageWindow, paginate } from "./paginate.ts";
import type { RunnerRow } from "./rows.ts";
import { runners } from "./schema.ts";

/** What a runner says about itself in `info` of each call, plus the address it called from. */
export interface RunnerSelfReport {
  version?: string;
  revision?: string;
  platform?: string;
  architecture?: string;
  executor?: string;
  ipAddress?: string | null;
}

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

    /** A runner's call: contacted at `at`, and whatever `info` it sent (absent fields keep their value). */
    recordContact(id: number, report: RunnerSelfReport, at: Date): void {
      const set: Partial<RunnerRow> = { contactedAt: at };
      if (report.version !== undefined) set.version = report.version;
      if (report.revision !== undefined) set.revision = report.revision;
      if (report.platform !== undefined) set.platform = report.platform;
      if (report.architecture !== undefined) set.architecture = report.architecture;
      if (report.executor !== undefined) set.executorType = report.executor;
      if (report.ipAddress) set.ipAddress = report.ipAddress;
      db.update(runners).set(set).where(eq(runners.id, id)).run();
    },

    replaceTokenHash(id: number, tokenHash: string): void {
      db.update(runners).set({ tokenHash }).where(eq(runners.id, id)).run();
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
