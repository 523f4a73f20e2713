// Writes a new pipeline's jobs in bulk: one prepared bun:sqlite statement, run once per job (pipeline creation's write),
// and gives them back as stored without reading them again.
import type { Database } from "bun:sqlite";
import { getTableColumns, getTableName, SQL } from "drizzle-orm";
import type { JobRow } from "./rows.ts";
import { jobs } from "./schema.ts";

/**
 * A job as pipeline creation stores it, with the status its stages and needs give it at once; the columns left out
 * get their defaults.
 */
export type PlannedJobRow = Pick<
  JobRow,
  | "pipelineId"
  | "projectId"
  | "name"
  | "stage"
  | "stageIdx"
  | "spec"
  | "allowFailure"
  | "userId"
  | "kind"
  | "status"
  | "failureReason"
  | "queuedAt"
  | "scheduledAt"
  | "finishedAt"
> & {
  /** `spec` as JSON text, stored as it is. */
  specJson: string;
};

const GIVEN = [
  jobs.pipelineId,
  jobs.projectId,
  jobs.name,
  jobs.stage,
  jobs.stageIdx,
  jobs.spec,
  jobs.allowFailure,
  jobs.userId,
  jobs.kind,
  jobs.status,
  jobs.failureReason,
  jobs.queuedAt,
  jobs.scheduledAt,
  jobs.finishedAt,
  jobs.createdAt,
];
const INSERT = `INSERT INTO "${getTableName(jobs)}" (${GIVEN.map((c) => `"${c.name}"`).join(", ")}) VALUES (${GIVEN.map(() => "?").join(", ")})`;
const givenNames = new Set(GIVEN.map((c) => c.name));
/** What SQLite gives every other column: the schema's default value, or null. */
const LEFT_OUT = Object.fromEntries(
  Object.entries(getTableColumns(jobs))
    .filter(([, column]) => !givenNames.has(column.name))
    .map(([key, column]) => [key, column.hasDefault && !(column.default instanceof SQL) ? column.default : null]),
);

const ms = (at: Date | null) => (at ? at.getTime() : null);

/**
 * Inserts `rows` in order on `sqlite` and gives them as stored (ids and creation time included), in the same order:
 * call it inside the caller's transaction, which then holds them all or none. A drizzle insert cost ~10 ms of the
 * event loop for 1000 jobs (its per-row mapping) and reading them back ~7 more; this ~3 ms.
 */
export function insertPlannedJobs(sqlite: Database, rows: readonly PlannedJobRow[]): JobRow[] {
  const createdAt = Date.now();
  const statement = sqlite.prepare(INSERT);
  try {
    return rows.map(({ specJson, ...r }) => {
      const { lastInsertRowid } = statement.run(
        r.pipelineId,
        r.projectId,
        r.name,
        r.stage,
        r.stageIdx,
        specJson,
        r.allowFailure ? 1 : 0,
        r.userId,
        r.kind,
        r.status,
        r.failureReason,
        ms(r.queuedAt),
        ms(r.scheduledAt),
        ms(r.finishedAt),
        createdAt,
      );
      return { ...LEFT_OUT, ...r, id: Number(lastInsertRowid), createdAt: new Date(createdAt) } as JobRow;
    });
  } finally {
    statement.finalize();
  }
}
