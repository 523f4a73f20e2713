// `PATCH /jobs/:id/trace`: the runner appends to the job's log at `Content-Range: start-end`; 416 makes it rewind.
import { Hono } from "hono";
import { refused } from "../../../domain/errors.ts";
import type { JobRow } from "../../../store/rows.ts";
import type { ApiContext, ApiEnv } from "../../env.ts";
import { authenticateJobCall, remoteJobs } from "./auth.ts";

/** The headers every trace and update answer carries: the job's state for the runner and when to call again. */
export function runnerHeaders(c: ApiContext, job: JobRow): void {
  const watched = c.get("deps").traces.followers(job.id) > 0;
  const remote = remoteJobs(c);
  c.header("Job-Status", remote.statusFor(job));
  c.header("X-GitLab-Trace-Update-Interval", String(remote.updateIntervalSeconds(watched)));
}

export function traceRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.patch("/jobs/:id/trace", async (c) => {
    const job = authenticateJobCall(c);
    const remote = remoteJobs(c);
    const range = c.req.header("content-range");
    if (range === undefined) throw refused("Missing header Content-Range");
    const match = /^\s*(\d+)-(\d+)\s*$/.exec(range);
    if (!match) throw refused(`Content-Range must be <start>-<end> (inclusive byte offsets), not "${range}"`);
    const start = Number(match[1]);
    const end = Number(match[2]);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.length === 0 || end - start + 1 !== bytes.length) {
      throw refused(`Content-Range ${range} covers ${end - start + 1} bytes, but the body has ${bytes.length}`);
    }
    remote.renew(job, false);
    const result = await remote.appendTrace(job, start, bytes);
    runnerHeaders(c, job);
    c.header("Range", `0-${result.size}`);
    if (!result.appended) {
      return c.json(
        { message: `416 Range Not Satisfiable - the log has ${result.size} bytes, the chunk starts at ${start}` },
        416,
      );
    }
    return c.body(null, 202);
  });
  return app;
}
