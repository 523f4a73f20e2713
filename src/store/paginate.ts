// One page of rows plus the count of all matching rows: the shape of every list porthole answers.
import { type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { DbHandle } from "./db.ts";

/** Which rows of the list: `perPage` of them after skipping `offset`. */
export interface PageWindow {
  perPage: number;
  offset: number;
}

export interface PageOf<T> {
  rows: T[];
  total: number;
}

/** A select query that can still take LIMIT and OFFSET. */
interface Limitable<T> {
  limit(n: number): { offset(n: number): { all(): T[] } };
}

/** Runs `query` for the page and counts the rows of `table` matching `where` (the query's own filter). */
export function paginate<T>(
  db: DbHandle,
  query: Limitable<T>,
  count: { table: SQLiteTable; where?: SQL },
  page: PageWindow,
): PageOf<T> {
  const rows = query.limit(page.perPage).offset(page.offset).all();
  return { rows, total: countRows(db, count.table, count.where) };
}

/** How many rows of `table` match `where` (all of them without). */
export function countRows(db: DbHandle, table: SQLiteTable, where?: SQL): number {
  return db.select({ n: sql<number>`count(*)` }).from(table).where(where).get()?.n ?? 0;
}

/** Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern. */
export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}
