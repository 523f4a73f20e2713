// Job artifacts: one row per stored zip (archive or report) and its file under `<data_dir>/artifacts/`.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { and, eq, inArray, isNotNull, isNull, lt } from "drizzle-orm";
import { ArtifactRefused, type ArtifactType } from "../domain/artifacts.ts";
import type { Db } from "./db.ts";
import { inLatestSuccessfulPipeline } from "./latest-success.ts";
import type { JobArtifactRow, JobRow } from "./rows.ts";
import { jobArtifacts, jobs } from "./schema.ts";

export interface ArtifactLimits {
  /** Bytes one stored zip may have. */
  maxBytes: number;
  /** Entries one archive may have (checked by the runner when collecting and unpacking). */
  maxFiles: number;
}

export interface ArtifactStore {
  readonly limits: ArtifactLimits;
  /** Stores (or replaces) `job`'s archive of `type`; `expireAt` null keeps it. Throws ArtifactRefused. */
  save(job: JobRow, type: ArtifactType, bytes: Uint8Array, expireAt: Date | null): JobArtifactRow;
  /** The job's stored archives, expired ones left out. */
  list(jobId: number): JobArtifactRow[];
  find(jobId: number, type: ArtifactType): JobArtifactRow | undefined;
  /** find() for many jobs in a few queries (a pipeline at the job limit has 1000): job id → its unexpired archive. */
  findMany(jobIds: readonly number[], type: ArtifactType): Map<number, JobArtifactRow>;
  /** Whether the job had an archive of `type` that expired (or whose file was removed). */
  expired(jobId: number, type: ArtifactType): boolean;
  /** The zip's bytes; `null` when the file is gone. */
  read(row: JobArtifactRow): Uint8Array | null;
  /** Removes every archive of the job except its log (GitLab's DELETE …/artifacts). Returns how many. */
  remove(jobId: number): number;
  /** Removes the archives of every job of the pipeline (before the pipeline is deleted). */
  removePipeline(pipelineId: number): void;
  /** Removes the project's artifact folder (its rows go with the project's). */
  removeProject(projectId: number): void;
  /** Keeps the job's archives forever (GitLab's `keep`). */
  keep(jobId: number): void;
  /**
   * Removes the files of expired archives, except those of the latest successful pipeline of each ref; their rows
   * stay (as expired). Returns how many.
   */
  sweepExpired(now?: Date): number;
}

/** The configuration's defaults, for tests that build a store by hand. */
export const TEST_ARTIFACT_LIMITS: ArtifactLimits = { maxBytes: 100 * 1024 * 1024, maxFiles: 10_000 };

const fileName = (type: ArtifactType) => (type === "archive" ? "artifacts.zip" : `${type}.zip`);

export function createArtifactStore(db: Db, dir: string, limits: ArtifactLimits): ArtifactStore {
  const pathOf = (row: { projectId: number; jobId: number; fileType: string }) =>
    join(dir, String(row.projectId), String(row.jobId), fileName(row.fileType));
  const unexpired = (row: JobArtifactRow) =>
    row.removedAt === null && (row.expireAt === null || row.expireAt.getTime() > Date.now() || latest(row));
  const raw = (jobId: number, type: ArtifactType) =>
    db
      .select()
      .from(jobArtifacts)
      .where(and(eq(jobArtifacts.jobId, jobId), eq(jobArtifacts.fileType, type)))
      .get();
  const latest = (row: JobArtifactRow) => inLatestSuccessfulPipeline(db, row.jobId);

  const store: ArtifactStore = {
    limits,
    save(job, type, bytes, expireAt) {
      if (bytes.length > limits.maxBytes)
        throw new ArtifactRefused(
          `the ${type} archive is ${bytes.length} bytes, over the limit of ${limits.maxBytes} bytes (artifacts.max_size)`,
          413,
        );
      const target = pathOf({ projectId: job.projectId, jobId: job.id, fileType: type });
      const partial = `${target}.partial-${process.pid}-${Math.random().toString(36).slice(2)}`;
      try {
        mkdirSync(join(target, ".."), { recursive: true });
        writeFileSync(partial, bytes);
        renameSync(partial, target);
      } catch (err) {
        rmSync(partial, { force: true });
        const code = (err as NodeJS.ErrnoException).code;
        throw new ArtifactRefused(
          code === "ENOSPC"
            ? "the server has no space left to store artifacts"
            : `artifacts could not be stored: ${code}`,
          code === "ENOSPC" ? 507 : 500,
        );
      }
      const values = {
        jobId: job.id,
        projectId: job.projectId,
        fileType: type,
        size: bytes.length,
        sha256: createHash("sha256").update(bytes).digest("hex"),
        expireAt,
        removedAt: null,
      };
      return db
        .insert(jobArtifacts)
        .values(values)
        .onConflictDoUpdate({ target: [jobArtifacts.jobId, jobArtifacts.fileType], set: values })
        .returning()
        .get();
    },
    list: (jobId) =>
      db
        .select()
        .from(jobArtifacts)
        .where(eq(jobArtifacts.jobId, jobId))
        .orderBy(jobArtifacts.id)
        .all()
        .filter(unexpired),
    find(jobId, type) {
      const row = raw(jobId, type);
      return row && unexpired(row) ? row : undefined;
    },
    findMany(jobIds, type) {
      const found = new Map<number, JobArtifactRow>();
      for (let i = 0; i < jobIds.length; i += 500) {
        const rows = db
          .select()
          .from(jobArtifacts)
          .where(and(inArray(jobArtifacts.jobId, jobIds.slice(i, i + 500)), eq(jobArtifacts.fileType, type)))
          .all();
        for (const row of rows) if (unexpired(row)) found.set(row.jobId, row);
      }
      return found;
    },
    expired(jobId, type) {
      const row = raw(jobId, type);
      return row !== undefined && !unexpired(row);
    },
    read(row) {
      try {
        return readFileSync(pathOf(row));
      } catch {
        return null;
      }
    },
    remove(jobId) {
      const rows = db.delete(jobArtifacts).where(eq(jobArtifacts.jobId, jobId)).returning().all();
      for (const row of rows) rmSync(pathOf(row), { force: true });
      return rows.length;
    },
    removePipeline(pipelineId) {
      const ids = db.select({ id: jobs.id }).from(jobs).where(eq(jobs.pipelineId, pipelineId)).all();
      for (const { id } of ids) store.remove(id);
    },
    removeProject(projectId) {
      rmSync(join(dir, String(projectId)), { recursive: true, force: true });
    },
    keep(jobId) {
      db.update(jobArtifacts).set({ expireAt: null }).where(eq(jobArtifacts.jobId, jobId)).run();
    },
    sweepExpired(now = new Date()) {
      const due = db
        .select()
        .from(jobArtifacts)
        .where(and(isNotNull(jobArtifacts.expireAt), lt(jobArtifacts.expireAt, now), isNull(jobArtifacts.removedAt)))
        .all()
        .filter((row) => !latest(row));
      if (due.length === 0) return 0;
      db.update(jobArtifacts)
        .set({ removedAt: now })
        .where(
          inArray(
            jobArtifacts.id,
            due.map((r) => r.id),
          ),
        )
        .run();
      for (const row of due) rmSync(pathOf(row), { force: true });
      return due.length;
    },
  };
  return store;
}
