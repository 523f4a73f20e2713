// Reads (and cancels) many job rows at once through cached bun:sqlite statements and drizzle's own column decoders: a
// pipeline's current jobs at the job limit in ~4 ms of the event loop, where drizzle's select took ~7.
import type { Database } from "bun:sqlite";
import { getTableColumns, getTableName } from "drizzle-orm";
import type { JobRow } from "./rows.ts";
import { jobs } from "./schema.ts";

const FIELDS = Object.entries(getTableColumns(jobs));
const TABLE = `"${getTableName(jobs)}"`;
const COLUMNS = FIELDS.map(([, column]) => `"${column.name}"`).join(", ");
const CURRENT = `"${jobs.pipelineId.name}" = ?1 AND "${jobs.retried.name}" = 0`;
const FINISHED = ["success", "failed", "canceled", "skipped"].map((s) => `'${s}'`).join(", ");
/** The pipeline's unfinished current jobs; `?2` narrows them to the ids of a JSON array, when not null. */
const OPEN = `${CURRENT} AND "${jobs.status.name}" NOT IN (${FINISHED})
  AND (?2 IS NULL OR "${jobs.id.name}" IN (SELECT value FROM json_each(?2)))`;

/** A row as SQLite gives it (one value per column, in FIELDS' order) as drizzle's select would map it. */
function decode(values: unknown[]): JobRow {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < FIELDS.length; i++) {
    const [key, column] = FIELDS[i]!;
    const value = values[i];
    row[key] = value === null ? null : column.mapFromDriverValue(value);
  }
  return row as JobRow;
}

/** The pipeline's current jobs (the latest try of each), in id order. */
export function currentJobsOfPipeline(sqlite: Database, pipelineId: number): JobRow[] {
  const rows = sqlite.query(`SELECT ${COLUMNS} FROM ${TABLE} WHERE ${CURRENT} ORDER BY "${jobs.id.name}"`);
  return (rows.values(pipelineId) as unknown[][]).map(decode);
}

/**
 * Cancels the pipeline's unfinished current jobs (or those of `only` among them) with one UPDATE, in one transaction
 * (a savepoint in the caller's). Gives the jobs as they are now and which of them were running.
 */
export function cancelOpenJobs(
  sqlite: Database,
  pipelineId: number,
  now: Date,
  only?: readonly number[],
): { jobs: JobRow[]; wereRunning: number[] } {
  const params = [pipelineId, only ? JSON.stringify(only) : null] as const;
  return sqlite.transaction(() => {
    const running = sqlite.query(
      `SELECT "${jobs.id.name}" FROM ${TABLE} WHERE ${OPEN} AND "${jobs.status.name}" = 'running'`,
    );
    const wereRunning = (running.values(...params) as number[][]).map(([id]) => id!);
    const cancel = sqlite.query(
      `UPDATE ${TABLE} SET "${jobs.status.name}" = 'canceled', "${jobs.finishedAt.name}" = ?3 WHERE ${OPEN} RETURNING ${COLUMNS}`,
    );
    const canceled = (cancel.values(...params, now.getTime()) as unknown[][]).map(decode);
    return { jobs: canceled, wereRunning };
  })();
}
