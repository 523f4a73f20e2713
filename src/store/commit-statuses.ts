// Commit statuses set by outside systems (`POST /projects/:id/statuses/:sha`) and the latest pipeline of a ref or sha.
import { and, desc, eq, ne } from "drizzle-orm";
import type { JobStatus } from "../domain/status.ts";
import type { DbHandle } from "./db.ts";
import type { CommitStatusRow, JobRow, PipelineRow } from "./rows.ts";
import { commitStatuses, jobs, pipelines } from "./schema.ts";

const FINISHED: ReadonlySet<JobStatus> = new Set(["success", "failed", "canceled", "skipped"]);

export interface CommitStatusInput {
  projectId: number;
  sha: string;
  ref: string;
  name: string;
  status: JobStatus;
  targetUrl?: string | null;
  description?: string | null;
  coverage?: number | null;
  pipelineId: number | null;
  userId: number | null;
}

/** Sets the status named `name` of the sha and ref: a new row, or the existing one moved to the new state. */
function setCommitStatus(db: DbHandle, input: CommitStatusInput): CommitStatusRow {
  const now = new Date();
  const times = (startedAt: Date | null) => ({
    startedAt: startedAt ?? (input.status === "running" || FINISHED.has(input.status) ? now : null),
    finishedAt: FINISHED.has(input.status) ? now : null,
  });
  return db.transaction((tx) => {
    const existing = tx
      .select()
      .from(commitStatuses)
      .where(
        and(
          eq(commitStatuses.projectId, input.projectId),
          eq(commitStatuses.sha, input.sha),
          eq(commitStatuses.ref, input.ref),
          eq(commitStatuses.name, input.name),
        ),
      )
      .get();
    if (existing) {
      return tx
        .update(commitStatuses)
        .set({
          status: input.status,
          targetUrl: input.targetUrl === undefined ? existing.targetUrl : input.targetUrl,
          description: input.description === undefined ? existing.description : input.description,
          coverage: input.coverage === undefined ? existing.coverage : input.coverage,
          userId: input.userId,
          ...times(existing.startedAt),
        })
        .where(eq(commitStatuses.id, existing.id))
        .returning()
        .get();
    }
    return tx
      .insert(commitStatuses)
      .values({
        ...input,
        targetUrl: input.targetUrl ?? null,
        description: input.description ?? null,
        coverage: input.coverage ?? null,
        ...times(null),
      })
      .returning()
      .get();
  });
}

/** The external statuses of a sha (optionally of one ref and name), oldest first. */
function listCommitStatuses(
  db: DbHandle,
  projectId: number,
  sha: string,
  filter: { ref?: string; name?: string } = {},
): CommitStatusRow[] {
  const conditions = [eq(commitStatuses.projectId, projectId), eq(commitStatuses.sha, sha)];
  if (filter.ref) conditions.push(eq(commitStatuses.ref, filter.ref));
  if (filter.name) conditions.push(eq(commitStatuses.name, filter.name));
  return db
    .select()
    .from(commitStatuses)
    .where(and(...conditions))
    .orderBy(commitStatuses.id)
    .all();
}

/** The jobs of every pipeline of the sha (optionally of one ref), retried ones only when asked, oldest first. */
function jobsOfSha(db: DbHandle, projectId: number, sha: string, opts: { ref?: string; all?: boolean }): JobRow[] {
  const conditions = [eq(pipelines.projectId, projectId), eq(pipelines.sha, sha)];
  if (opts.ref) conditions.push(eq(pipelines.ref, opts.ref));
  if (!opts.all) conditions.push(eq(jobs.retried, false));
  return db
    .select({ job: jobs })
    .from(jobs)
    .innerJoin(pipelines, eq(jobs.pipelineId, pipelines.id))
    .where(and(...conditions))
    .orderBy(jobs.id)
    .all()
    .map((r) => r.job);
}

/** The project's newest pipeline for a ref and/or a sha (and with an id, that one), or null. */
function latestPipeline(
  db: DbHandle,
  projectId: number,
  of: { ref?: string; sha?: string; id?: number },
): PipelineRow | null {
  const conditions = [eq(pipelines.projectId, projectId)];
  if (of.id !== undefined) conditions.push(eq(pipelines.id, of.id));
  // A child pipeline is part of its parent, never a ref's or commit's latest one (GitLab's `ci_sources`).
  else conditions.push(ne(pipelines.source, "parent_pipeline"));
  if (of.ref !== undefined) conditions.push(eq(pipelines.ref, of.ref));
  if (of.sha !== undefined) conditions.push(eq(pipelines.sha, of.sha));
  return (
    db
      .select()
      .from(pipelines)
      .where(and(...conditions))
      .orderBy(desc(pipelines.id))
      .limit(1)
      .get() ?? null
  );
}

/** Commit statuses and what a commit's status list and `last_pipeline` read of pipelines and jobs. */
export function createCommitStatusesRepository({ db }: { db: DbHandle }) {
  return {
    set: (input: CommitStatusInput) => setCommitStatus(db, input),
    ofSha: (projectId: number, sha: string, filter?: { ref?: string; name?: string }) =>
      listCommitStatuses(db, projectId, sha, filter),
    jobsOfSha: (projectId: number, sha: string, opts: { ref?: string; all?: boolean }) =>
      jobsOfSha(db, projectId, sha, opts),
    latestPipeline: (projectId: number, of: { ref?: string; sha?: string; id?: number }) =>
      latestPipeline(db, projectId, of),
  };
}
