// The remote runner's session server of a running job, as its jobs/request stored it (url, certificate, token).
import { and, eq } from "drizzle-orm";
import { MIN_MASKED_LENGTH } from "../domain/masker.ts";
import type { DbHandle } from "./db.ts";
import { jobs, variables } from "./schema.ts";

export interface StoredJobSession {
  url: string;
  certificate: string;
  authorization: string;
  /** The project's masked variable values: what the job log masks, so the session recording masks them too. */
  secrets: string[];
}

export function createJobSessionsRepository({ db }: { db: DbHandle }) {
  return {
    /** The session of job `jobId` while it runs on a remote runner that offered one; null otherwise. */
    runningSession: (jobId: number) => runningSession(db, jobId),
  };
}

function runningSession(db: DbHandle, jobId: number): StoredJobSession | null {
  const row = db
    .select({
      projectId: jobs.projectId,
      url: jobs.sessionUrl,
      certificate: jobs.sessionCertificate,
      authorization: jobs.sessionAuthorization,
    })
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.status, "running")))
    .get();
  if (!row?.url || !row.certificate || !row.authorization) return null;
  const secrets = db
    .select({ value: variables.value })
    .from(variables)
    .where(and(eq(variables.projectId, row.projectId), eq(variables.masked, true)))
    .all()
    .map((v) => v.value)
    .filter((value) => value.length >= MIN_MASKED_LENGTH);
  return { url: row.url, certificate: row.certificate, authorization: row.authorization, secrets };
}
