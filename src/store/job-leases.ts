// Remote jobs' leases and session servers: a runner's hold on a running job, renewed by its calls, swept when it ends.
import { and, eq, inArray, isNotNull, lt } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import type { JobRow } from "./rows.ts";
import { jobs } from "./schema.ts";

/** A runner's session server for one job (`session` of jobs/request). */
export interface JobSession {
  url: string;
  certificate: string;
  authorization: string;
}

const NO_LEASE = {
  leaseExpiresAt: null,
  awaitingRunnerAck: false,
  sessionUrl: null,
  sessionCertificate: null,
  sessionAuthorization: null,
} as const;

export function createJobLeasesRepository({ db }: { db: DbHandle }) {
  return {
    /** A job just handed to a remote runner: its lease, its session server, and whether it awaits confirmation. */
    start(jobId: number, until: Date, session: JobSession | null, awaitingAck: boolean): void {
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
    renew(jobId: number, until: Date, confirm: boolean): void {
      const set: Partial<JobRow> = { leaseExpiresAt: until };
      if (confirm) set.awaitingRunnerAck = false;
      db.update(jobs)
        .set(set)
        .where(and(eq(jobs.id, jobId), isNotNull(jobs.leaseExpiresAt)))
        .run();
    },

    /** Every lease runs at least until `until` (at start: runners get time to reach a server that was down). */
    extendAll(until: Date): void {
      db.update(jobs)
        .set({ leaseExpiresAt: until })
        .where(and(isNotNull(jobs.leaseExpiresAt), lt(jobs.leaseExpiresAt, until)))
        .run();
    },

    /** The job is over for its runner: no lease, and the session server's secret is forgotten. */
    end(jobId: number): void {
      db.update(jobs).set(NO_LEASE).where(eq(jobs.id, jobId)).run();
    },

    /** Leased jobs (running, or canceled but not yet closed by the runner) whose lease ran out before `now`. */
    expired: (now: Date): JobRow[] =>
      db
        .select()
        .from(jobs)
        .where(and(inArray(jobs.status, ["running", "canceled"]), lt(jobs.leaseExpiresAt, now)))
        .all(),

    /** A job its runner never confirmed goes back to the queue as if it had never been handed out. */
    requeueUnconfirmed(jobId: number): JobRow | null {
      return (
        db
          .update(jobs)
          .set({
            ...NO_LEASE,
            status: "pending",
            runnerId: null,
            startedAt: null,
            tokenHash: null,
            queuedAt: new Date(),
          })
          .where(and(eq(jobs.id, jobId), eq(jobs.status, "running"), eq(jobs.awaitingRunnerAck, true)))
          .returning()
          .get() ?? null
      );
    },
  };
}
