// The remote runner's session server of a running job, as its jobs/request stored it (url, certificate, token).
import { and, eq } from "drizzle-orm";
import type { Db } from "./db.ts";
import { jobs } from "./schema.ts";

export interface StoredJobSession {
  url: string;
  certificate: string;
  authorization: string;
}

/** The session of job `jobId` while it runs on a remote runner that offered one; null otherwise. */
export function findRunningJobSession(db: Db, jobId: number): StoredJobSession | null {
  const row = db
    .select({ url: jobs.sessionUrl, certificate: jobs.sessionCertificate, authorization: jobs.sessionAuthorization })
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.status, "running")))
    .get();
  if (!row?.url || !row.certificate || !row.authorization) return null;
  return { url: row.url, certificate: row.certificate, authorization: row.authorization };
}
