// `PUT /jobs/:id`: the runner's keep-alive and two-phase confirmation (`running`) and its final word on the job.
import { Hono } from "hono";
import { z } from "zod";
import type { JobResult } from "../../../domain/coordinator.ts";
import { FAILURE_REASONS, type FailureReason } from "../../../domain/status.ts";
import type { JobRow } from "../../../store/rows.ts";
import type { ApiContext, ApiEnv } from "../../env.ts";
import { readParams } from "../../middleware/params.ts";
import { parseParams, zInt, zText } from "../../middleware/validate.ts";
import { authenticateJobCall, remoteJobs, repos, runnerInfoSchema } from "./auth.ts";
import { runnerHeaders } from "./trace.ts";

/** `crc32:` and the IEEE CRC-32 in hex; gitlab-runner prints it with `%x`, so without leading zeros. */
const crc32Text = zText().refine((v) => /^crc32:[0-9a-f]{1,8}$/i.test(v));
const updateSchema = z.object({
  token: zText().optional(),
  info: runnerInfoSchema,
  state: z.enum(["running", "success", "failed", "canceled"]).optional(),
  failure_reason: zText().optional(),
  exit_code: zInt().optional(),
  /** Older runners send the checksum here instead of in `output`. */
  checksum: crc32Text.optional(),
  output: z
    .object({
      checksum: crc32Text.optional(),
      bytesize: zInt().optional(),
    })
    .optional(),
});
type UpdateParams = z.output<typeof updateSchema>;

const knownReason = (r: string | undefined): FailureReason =>
  FAILURE_REASONS.find((known) => known === r) ?? (r === undefined ? "script_failure" : "unknown_failure");

function resultOf(p: UpdateParams): JobResult {
  if (p.state === "success") return { status: "success" };
  if (p.state === "canceled") return { status: "canceled" };
  return { status: "failed", failureReason: knownReason(p.failure_reason), exitCode: p.exit_code };
}

/** Whether the log the runner sent matches the stored one: 412 makes the runner send what is missing. */
function traceMatches(c: ApiContext, job: JobRow, p: UpdateParams): boolean {
  const checksum = p.output?.checksum ?? p.checksum;
  const bytesize = p.output?.bytesize;
  if (checksum === undefined && bytesize === undefined) return true;
  const stored = c.get("deps").traces.read(job.id);
  if (bytesize !== undefined && bytesize > stored.length) return false;
  const crc = Bun.hash.crc32(stored);
  if (checksum !== undefined && Number.parseInt(checksum.slice("crc32:".length), 16) !== crc) {
    const ours = `crc32:${crc.toString(16)}`;
    c.get("deps").logger?.warn("a runner's log checksum differs from the stored log", {
      job: job.id,
      runner: checksum,
      stored: ours,
    });
  }
  return true;
}

export function updateRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.put("/jobs/:id", async (c) => {
    const p = parseParams(updateSchema, await readParams(c));
    const job = authenticateJobCall(c, p.token);
    const remote = remoteJobs(c);
    if (p.info && job.runnerId !== null) repos(c).runners.recordContact(job.runnerId, { ...p.info }, new Date());
    if (p.state === undefined || p.state === "running") {
      remote.renew(job, true);
      runnerHeaders(c, job);
      return c.text("200", 200);
    }
    if (!traceMatches(c, job, p)) {
      remote.renew(job, false);
      runnerHeaders(c, job);
      return c.json(
        { message: "412 Precondition Failed - the stored log is shorter than the runner's; send it again" },
        412,
      );
    }
    await remote.finish(job, resultOf(p));
    const finished = repos(c).jobs.findById(job.id) ?? job;
    c.header("Job-Status", remote.statusFor(finished));
    return c.text("200", 200);
  });
  return app;
}
