// Test fixtures for the store: a pipeline and jobs holding only what the test at hand cares about.
import { sql } from "drizzle-orm";
import type { PlanJob } from "../pipeline/types.ts";
import type { DbHandle } from "./db.ts";
import type { NewJobRow } from "./jobs.ts";
import type { NewPipelineRow } from "./pipelines.ts";
import type { Repositories } from "./repositories.ts";
import { jobs, projects, users } from "./schema.ts";

/** An admin `root` and the project `namespace/path` it created. */
export function insertTestAdminProject(db: DbHandle, namespace: string, path: string) {
  const user = db
    .insert(users)
    .values({ username: "root", name: "root", email: `root@${namespace}.test`, passwordHash: "-", admin: true })
    .returning()
    .get();
  const project = db.insert(projects).values({ name: path, path, namespace, creatorId: user.id }).returning().get();
  return { user, project };
}

/** Pipeline #1 of `projectId` on main, from the API; `extra` overrides any field. */
export const insertTestPipeline = (repos: Repositories, projectId: number, extra: Partial<NewPipelineRow> = {}) =>
  repos.pipelines.insert({
    projectId,
    iid: 1,
    ref: "main",
    sha: "0".repeat(40),
    source: "api",
    variables: [],
    yamlVariables: [],
    ...extra,
  });

/** Job `j` in stage test of `pipeline`, with an empty spec; `extra` overrides any field. */
export const insertTestJob = (
  repos: Repositories,
  pipeline: { id: number; projectId: number },
  extra: Partial<NewJobRow> = {},
) =>
  repos.jobs.insert({
    pipelineId: pipeline.id,
    projectId: pipeline.projectId,
    name: "j",
    stage: "test",
    stageIdx: 0,
    spec: {} as PlanJob,
    ...extra,
  });

/**
 * Inserts job rows as given, on the database or a transaction: one prepared single-row statement per set of
 * columns, run once per job (a 1000-job pipeline is quick to set up). Columns left out get their defaults, as with
 * a plain insert. Production stores a new pipeline's jobs through `jobs.insertPlanned`.
 */
export function insertTestJobs(db: DbHandle, values: NewJobRow[]): void {
  const statements = new Map<string, { run(row: NewJobRow): unknown }>();
  for (const row of values) {
    const columns = (Object.keys(row) as (keyof NewJobRow)[]).filter((k) => row[k] !== undefined);
    // A placeholder's value goes through the column's encoder, which does not pass null on (a null timestamp
    // would throw, a null JSON would be stored as "null"): nulls are literals, and part of the statement's key.
    const key = columns.map((c) => (row[c] === null ? `${c}=null` : c)).join(",");
    let statement = statements.get(key);
    if (!statement) {
      const placeholders = Object.fromEntries(
        columns.map((c) => [c, row[c] === null ? sql`null` : sql.placeholder(c)]),
      );
      statement = db
        .insert(jobs)
        .values(placeholders as unknown as NewJobRow)
        .prepare();
      statements.set(key, statement);
    }
    statement.run(row);
  }
}

/** The row of plan job `spec` in `pipeline`, started by `userId` (as creating a pipeline would make it). */
export const testJobRow = (pipeline: { id: number; projectId: number }, spec: PlanJob, userId: number): NewJobRow => ({
  pipelineId: pipeline.id,
  projectId: pipeline.projectId,
  name: spec.name,
  stage: spec.stage,
  stageIdx: spec.stageIndex,
  spec,
  allowFailure: spec.allowFailure === true,
  userId,
});

/**
 * The data folder of a test without one: below /dev/null, so writing there fails even as root (a plain missing
 * path such as /nonexistent is created by the first test that writes, and then leaks into every later test).
 */
export const NO_DATA_DIR = "/dev/null/porthole-test-data";
