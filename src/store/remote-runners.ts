// What GitLab's runner protocol stores: runners' self-reports and tokens, and a remote job's lease and session server.
import { and, eq, inArray, isNotNull, lt } from "drizzle-orm";
import type { Db } from "./db.ts";
import type { JobRow, RunnerRow } from "./rows.ts";
import { jobs, runners } from "./schema.ts";

/** What a runner says about itself in `info` of each call, plus the address it called from. */
export interface RunnerSelfReport {
  version?: string;
  revision?: string;
  platform?: string;
  architecture?: string;
  executor?: string;
  ipAddress?: string | null;
}

/** A runner's session server for one job (`session` of jobs/request). */
export interface JobSession {
  url: string;
  certificate: string;
  authorization: string;
}

export function createRemoteRunnerStore(db: Db) {
  return {
    findJob: (jobId: number): JobRow | null => db.select().from(jobs).where(eq(jobs.id, jobId)).get() ?? null,

    findRunner: (id: number): RunnerRow | null => db.select().from(runners).where(eq(runners.id, id)).get() ?? null,

    /** Records a runner's call: contacted now, and whatever `info` it sent (absent fields keep their value). */
    recordContact(runnerId: number, report: RunnerSelfReport, at = new Date()): void {
      const set: Partial<RunnerRow> = { contactedAt: at };
      if (report.version !== undefined) set.version = report.version;
      if (report.revision !== undefined) set.revision = report.revision;
      if (report.platform !== undefined) set.platform = report.platform;
      if (report.architecture !== undefined) set.architecture = report.architecture;
      if (report.executor !== undefined) set.executorType = report.executor;
      if (report.ipAddress) set.ipAddress = report.ipAddress;
      db.update(runners).set(set).where(eq(runners.id, runnerId)).run();
    },

    replaceRunnerToken(runnerId: number, tokenHash: string): void {
      db.update(runners).set({ tokenHash }).where(eq(runners.id, runnerId)).run();
    },

    deleteRunner(runnerId: number): void {
      db.delete(runners).where(eq(runners.id, runnerId)).run();
    },

    /** A job just handed to a remote runner: its lease, its session server, and whether it awaits confirmation. */
    startLease(jobId: number, until: Date, session: JobSession | null, awaitingAck: boolean): void {
      db.update(jobs)
        .set({
          leaseExpiresAt: until,
          awaitingRunnerAck: awaitingAck,
          sessionUrl: session?.url ?? null,
          sessionCertificate: session?.certificate ?? null,
          sessionAuthorization: session?.authorization ?? null,
        })
        .where(eq(jobs.id, jobId))
        .run();
    },

    /** The runner called about the job: the lease runs on; `confirm` ends the two-phase commit's wait. */
    renewLease(jobId: number, until: Date, confirm: boolean): void {
      const set: Partial<JobRow> = { leaseExpiresAt: until };
      if (confirm) set.awaitingRunnerAck = false;
      db.update(jobs)
        .set(set)
        .where(and(eq(jobs.id, jobId), isNotNull(jobs.leaseExpiresAt)))
        .run();
    },

    /** The job is over for its runner: no lease, and the session server's secret is forgotten. */
    endLease(jobId: number): void {
      db.update(jobs)
        .set({
          leaseExpiresAt: null,
          awaitingRunnerAck: false,
          sessionUrl: null,
          sessionCertificate: null,
          sessionAuthorization: null,
        })
        .where(eq(jobs.id, jobId))
        .run();
    },

    /** Leased jobs (running, or canceled but not yet closed by the runner) whose lease ran out before `now`. */
    expiredLeases: (now: Date): JobRow[] =>
      db
        .select()
        .from(jobs)
        .where(and(inArray(jobs.status, ["running", "canceled"]), lt(jobs.leaseExpiresAt, now)))
        .all(),

    /** A job its runner never confirmed goes back to the queue as if it had never been handed out. */
    requeue(jobId: number): JobRow | null {
      return (
        db
          .update(jobs)
          .set({
            status: "pending",
            runnerId: null,
            startedAt: null,
            tokenHash: null,
            queuedAt: new Date(),
            leaseExpiresAt: null,
            awaitingRunnerAck: false,
            sessionUrl: null,
            sessionCertificate: null,
            sessionAuthorization: null,
          })
          .where(and(eq(jobs.id, jobId), eq(jobs.status, "running"), eq(jobs.awaitingRunnerAck, true)))
          .returning()
          .get() ?? null
      );
    },
  };
}

export type RemoteRunnerStore = ReturnType<typeof createRemoteRunnerStore>;
