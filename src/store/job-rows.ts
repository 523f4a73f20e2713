// Reads many job rows at once through one cached bun:sqlite statement and drizzle's own column decoders: a pipeline's
// current jobs at the job limit in ~4 ms of the event loop, where drizzle's select took ~7.
import type { Database } from "bun:sqlite";
import { getTableColumns, getTableName } from "drizzle-orm";
import type { JobRow } from "./rows.ts";
import { jobs } from "./schema.ts";

const FIELDS = Object.entries(getTableColumns(jobs));
const SELECT = `SELECT ${FIELDS.map(([, column]) => `"${column.name}"`).join(", ")} FROM "${getTableName(jobs)}"`;
const CURRENT_OF_PIPELINE = `${SELECT} WHERE "${jobs.pipelineId.name}" = ? AND "${jobs.retried.name}" = 0`;

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
  return (sqlite.query(`${CURRENT_OF_PIPELINE} ORDER BY "${jobs.id.name}"`).values(pipelineId) as unknown[][]).map(
    decode,
  );
}
