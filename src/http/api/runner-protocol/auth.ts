// Who is calling the runner API: a runner by its `glrt-` token, a job by its job token; GitLab's 403s otherwise.

import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { authenticateRunner } from "../../../auth/runner-tokens.ts";
import { constantTimeEqual, hashToken } from "../../../auth/secrets.ts";
import { forbidden } from "../../../domain/errors.ts";
import type { RemoteJobs } from "../../../queue/remote-jobs.ts";
import type { JobRow, RunnerRow } from "../../../store/rows.ts";
import type { RunnerSelfReport } from "../../../store/runners.ts";
import { type ApiContext, clientIp } from "../../env.ts";
import { zText } from "../../middleware/validate.ts";

/** `info` as gitlab-runner sends it (`common.VersionInfo`); unknown fields are ignored. */
export const runnerInfoSchema = z
  .object({
    name: zText().optional(),
    version: zText().optional(),
    revision: zText().optional(),
    platform: zText().optional(),
    architecture: zText().optional(),
    executor: zText().optional(),
    shell: zText().optional(),
    features: z.record(z.string(), z.unknown()).optional(),
  })
  .optional();

export type RunnerInfoParams = z.output<typeof runnerInfoSchema>;

export const repos = (c: ApiContext) => c.get("deps").store.repos;

export function remoteJobs(c: ApiContext): RemoteJobs {
  const remote = c.get("deps").remoteJobs;
  if (!remote) throw new HTTPException(503, { message: "503 Service Unavailable - no runner queue in this process" });
  return remote;
}

/** The runner owning `token` (body `token` or the `RUNNER-TOKEN` header), recorded as contacted; 403 otherwise. */
export function authenticateRunnerCall(c: ApiContext, token: string | undefined, info?: RunnerInfoParams): RunnerRow {
  const given = token ?? c.req.header("runner-token");
  const runner = given ? authenticateRunner(c.get("deps").store.db, given) : null;
  if (!runner || runner.embedded) throw forbidden();
  const report: RunnerSelfReport = { ...info, ipAddress: clientIp(c) };
  repos(c).runners.recordContact(runner.id, report, new Date());
  return runner;
}

/** A refusal naming the job's state in `Job-Status`, as GitLab's `job_forbidden!` does (the runner stops the job). */
export function jobForbidden(c: ApiContext, job: JobRow | null, reason: string): never {
  if (job) c.header("Job-Status", remoteJobs(c).statusFor(job));
  throw forbidden(reason);
}

/**
 * The job `:id` if `token` (the `JOB-TOKEN` header or body `token`) is its job token and its runner still holds it.
 * Unknown jobs get 403 like wrong tokens (GitLab: so that a runner also stops a job that is gone).
 */
export function authenticateJobCall(c: ApiContext, bodyToken?: string): JobRow {
  const id = Number(c.req.param("id"));
  const token = c.req.header("job-token") ?? bodyToken;
  const job = Number.isSafeInteger(id) ? repos(c).jobs.findById(id) : null;
  if (!job) jobForbidden(c, null, "Job not found");
  // A finished job's token is gone, so a replayed call cannot be verified: it learns nothing about the job.
  if (!job.tokenHash) jobForbidden(c, null, "Job is not processing on runner");
  if (!token || !constantTimeEqual(job.tokenHash, hashToken(token))) jobForbidden(c, null, "Invalid job token");
  if (!remoteJobs(c).holds(job)) jobForbidden(c, job, "Job is not processing on runner");
  if (job.runnerId !== null) repos(c).runners.recordContact(job.runnerId, { ipAddress: clientIp(c) }, new Date());
  return job;
}
