// `PUT /jobs/:id`: the runner's keep-alive and two-phase confirmation (`running`) and its final word on the job.
import { Hono } from "hono";
import { z } from "zod";
import type { JobResult } from "../../../domain/coordinator.ts";
import { FAILURE_REASONS, type FailureReason } from "../../../domain/status.ts";
import type { JobRow } from "../../../store/rows.ts";
import type { ApiContext, ApiEnv } from "../../env.ts";
import { readParams } from "../../middleware/params.ts";
import { parseParams, zInt, zText } from "../../middleware/validate.ts";
import { authenticateJobCall, remoteJobs, runnerInfoSchema, runnerStore } from "./auth.ts";
import { runnerHeaders } from "./trace.ts";

const updateSchema = z.object({
  token: zText().optional(),
  info: runnerInfoSchema,
  state: z.enum(["running", "success", "failed", "canceled"]).optional(),
  failure_reason: zText().optional(),
  exit_code: zInt().optional(),
  output: z
    .object({
      checksum: zText()
        .refine((v) => /^crc32:[0-9a-f]{1,8}$/i.test(v))
        .optional(),
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
  const output = p.output;
  if (!output?.checksum && output?.bytesize === undefined) return true;
  const stored = c.get("deps").traces.read(job.id);
  if (output.bytesize !== undefined && output.bytesize > stored.length) return false;
  const crc = `crc32:${Bun.hash.crc32(stored).toString(16).padStart(8, "0")}`;
  if (output.checksum && output.checksum.toLowerCase() !== crc) {
    c.get("deps").logger?.warn("a runner's log checksum differs from the stored log", {
      job: job.id,
      runner: output.checksum,
      stored: crc,
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
    if (p.info && job.runnerId !== null) runnerStore(c).recordContact(job.runnerId, { ...p.info });
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
    const finished = runnerStore(c).findJob(job.id) ?? job;
    c.header("Job-Status", remote.statusFor(finished));
    return c.text("200", 200);
  });
  return app;
}
