// The job page and its parts: raw log, live log stream (SSE), earlier log chunks, and cancel/retry/play.
/** @jsxImportSource hono/jsx */

import { resolve } from "node:path";
import { mayDownloadArtifacts } from "../../../auth/artifact-access.ts";
import type { Breakpoint } from "../../../domain/debug.ts";
import { badRequest, DomainError } from "../../../domain/errors.ts";
import { isFinished } from "../../../domain/status.ts";
import { rawLogStream } from "../../../logs/raw-log.ts";
import type { PipelineService } from "../../../queue/types.ts";
import { recordedSessionsOfJob } from "../../../session/job-recordings.ts";
import type { JobRow } from "../../../store/rows.ts";
import { continueJob, retryBreakpoint } from "../../api/job-debug.ts";
import { ParamsError } from "../../middleware/errors.ts";
import { allowed, routeJob, routeProject } from "../data/access.ts";
import { findRunner, listProjectJobs, pipelineJobs, variableNames } from "../data/jobs.ts";
import { findUser, statusFilter } from "../data/pipelines.ts";
import type { UiContext } from "../env.ts";
import { eventStream } from "../event-stream.ts";
import { followLog } from "../log/log-follower.ts";
import { MAX_QUERY_CHARS, searchLog } from "../log/log-search.ts";
import { renderLogAround, renderLogChunk, renderLogTail, renderLogWindowAround } from "../log/log-window.ts";
import { decodeResumeToken } from "../log/resume-token.ts";
import type { PageRouter } from "../page-routes.ts";
import { breakpointField } from "../pages/job-debug.tsx";
import { JobShowPage, type JobShowProps } from "../pages/job-show.tsx";
import { JobsIndexPage } from "../pages/jobs-index.tsx";
import { renderPage } from "../render.tsx";
import { jobRawUrl, jobUrl, pipelineUrl } from "../urls.ts";
import { setFlash } from "../views/flash.ts";
import { variableRows } from "../views/form-data.ts";
import { PER_PAGE, pageNumber, withPage } from "../views/pagination.tsx";
import { shareLinkItems } from "./share-link-routes.tsx";

const JOB = "/:namespace/:project/-/jobs/:id{[0-9]+}";
const _RAW_PART_BYTES = 1024 * 1024;
/** A finished job's live log ends after this long without output, unless the deps say otherwise. */
const QUIET_AFTER_FINISH_MS = 3000;

export function addJobRoutes(r: PageRouter): void {
  r.get("/:namespace/:project/-/jobs", (c) => {
    const access = routeProject(c, "read_job");
    const status = statusFilter(c.req.query("status"));
    const page = pageNumber(c.req.query("page"));
    const { items, total } = listProjectJobs(c.get("deps").store.db, access.project.id, status, {
      page,
      perPage: PER_PAGE,
    });
    const url = new URL(c.req.url);
    return renderPage(
      c,
      `Jobs · ${access.project.name}`,
      <JobsIndexPage
        project={access.project}
        items={items}
        status={status}
        pageInfo={{ page, perPage: PER_PAGE, total }}
        href={(n) => withPage(url, n)}
        canAdmin={allowed(access, "admin_variables")}
      />,
    );
  });

  r.get(JOB, async (c) => {
    const { job, ...access } = routeJob(c, "read_job");
    const { db } = c.get("deps").store;
    const { traces, config } = c.get("deps");
    const pipeline = c.get("deps").store.repos.pipelines.findById(job.pipelineId)!;
    const finished = isFinished(job.status) && !traces.isLive(job.id);
    const view = logView(c, job.id);
    const tail = view.around
      ? renderLogWindowAround(traces, job.id, view.around.offset, view.around.line)
      : renderLogTail(traces, job.id, finished);
    const base = jobUrl(access.project, job.id);
    const canUpdate = allowed(access, "update_job", { job });
    const mayDownload = mayDownloadArtifacts(
      job.spec.artifacts?.access,
      access.level,
      c.get("actor")?.user.admin ?? false,
    );
    const stored = mayDownload ? c.get("deps").artifacts.list(job.id) : [];
    return renderPage(
      c,
      `${job.name} · Job`,
      <JobShowPage
        project={access.project}
        pipeline={pipeline}
        job={job}
        runner={findRunner(db, job.runnerId)}
        pipelineJobs={pipelineJobs(db, pipeline.id).filter(
          (j) => j.kind === "build" && (!j.retried || j.id === job.id),
        )}
        variableNames={variableNames(db, job, pipeline)}
        canUpdate={canUpdate}
        csrfToken={c.get("csrfToken")}
        defaultTimeoutSeconds={config.job_timeout}
        archive={stored.find((r) => r.fileType === "archive") ?? null}
        reports={stored.filter((r) => r.fileType !== "archive")}
        canAdmin={allowed(access, "admin_variables")}
        canDebug={allowed(access, "open_terminal", { job })}
        triggeredBy={findUser(db, job.userId)?.username ?? null}
        hold={terminalHold(c, job.id)}
        terminalSessions={
          allowed(access, "read_terminal_recordings") ? recordedSessionsOfJob(db, resolve(config.data_dir), job.id) : []
        }
        shareLinks={
          allowed(access, "share_terminal")
            ? { items: shareLinkItems(c, access.project, job.id), anonymous: config.terminal.anonymous_share_links }
            : null
        }
        debugPause={job.status === "running" ? ((await c.get("deps").debugControl?.current(job.id)) ?? null) : null}
        canRetryWithTerminal={allowed(access, "open_terminal", { job: { userId: c.get("actor")?.user.id ?? null } })}
        log={{
          tail,
          chunkUrl: `${base}/log_chunk`,
          searchUrl: `${base}/log_search`,
          rawUrl: jobRawUrl(access.project, job.id),
          streamUrl: finished || view.around ? undefined : `${base}/log.sse?state=${tail.resume}`,
          pageUrl: base,
          search: view.search,
          jumpedTo: view.around?.line ?? null,
          emptyText:
            job.status === "created" || job.status === "pending" ? "Waiting for the job to start…" : "No log output.",
        }}
      />,
      { bodyClass: "page-wide" },
    );
  });

  r.get(`${JOB}/raw`, (c) => {
    const { job } = routeJob(c, "read_job_log");
    const body = rawLogStream(c.get("deps").traces, job.id);
    const headers: Record<string, string> = {
      "Content-Type": "text/plain; charset=utf-8",
      "Cache-Control": "no-store",
    };
    if (c.req.query("download")) headers["Content-Disposition"] = `attachment; filename="job-${job.id}.log"`;
    return c.body(body, 200, headers);
  });

  r.get(`${JOB}/log_chunk`, (c) => {
    const { job } = routeJob(c, "read_job_log");
    const around = c.req.query("around");
    if (around !== undefined) {
      const offset = Number(around);
      if (!Number.isSafeInteger(offset) || offset < 0) throw badRequest("around must be a byte offset");
      return c.json(renderLogAround(c.get("deps").traces, job.id, offset));
    }
    const to = Number(c.req.query("to"));
    if (!Number.isSafeInteger(to) || to < 0) throw badRequest("to must be a byte offset");
    return c.json(renderLogChunk(c.get("deps").traces, job.id, to));
  });

  /** A page of the lines matching `q` (from the token `from` on), searched in the stored log, not in the page. */
  r.get(`${JOB}/log_search`, (c) => {
    const { job } = routeJob(c, "read_job_log");
    const q = c.req.query("q") ?? "";
    if (q.trim() === "") throw badRequest("q is missing: give the text to search the log for");
    if (q.length > MAX_QUERY_CHARS) throw badRequest(`q is too long (at most ${MAX_QUERY_CHARS} characters)`);
    const found = searchLog(c.get("deps").traces, job.id, q, c.req.query("from") ?? null);
    if (!found) throw badRequest("from is not a token from a previous search of this log");
    return c.json(found);
  });

  r.get(`${JOB}/log.sse`, (c) => {
    const { job } = routeJob(c, "read_job_log");
    const { traces, events, liveLogQuietMs = QUIET_AFTER_FINISH_MS } = c.get("deps");
    const point = decodeResumeToken(c.req.query("state") ?? "");
    if (!point || point.offset > traces.size(job.id))
      throw badRequest("state is not a valid resume token for this log");
    return eventStream(c, (sink) => {
      let jobFinished = isFinished(c.get("deps").store.repos.jobs.findById(job.id)?.status ?? job.status);
      // A finished job's log ends once it has been quiet a while, even if its end marker never comes (a job that
      // never ran) or came before this subscription; a canceled job's after_script output keeps it open.
      let quiet: ReturnType<typeof setTimeout> | undefined;
      const endWhenQuiet = () => {
        clearTimeout(quiet);
        if (jobFinished) quiet = setTimeout(() => follower.finish(), liveLogQuietMs);
      };
      const follower = followLog(traces, job.id, point, !jobFinished || traces.isLive(job.id), {
        event: (e) => {
          sink.send("ops", e);
          endWhenQuiet();
        },
        end: () => {
          sink.send("end", {});
          sink.close();
        },
      });
      endWhenQuiet();
      const stopWatching = events.onJob((j) => {
        if (j.id !== job.id || !isFinished(j.status)) return;
        jobFinished = true;
        endWhenQuiet();
      });
      return () => {
        clearTimeout(quiet);
        stopWatching();
        follower.stop();
      };
    });
  });

  r.post(`${JOB}/cancel`, async (c) => jobAction(c, "Job canceled.", (pipelines, job) => pipelines.cancelJob(job.id)));
  r.post(`${JOB}/retry`, async (c) => {
    const field = breakpointField(await c.req.parseBody());
    const { job: _job, ...access } = routeJob(c, "update_job");
    let breakpoint: Breakpoint | undefined;
    try {
      breakpoint = retryBreakpoint(access, field);
    } catch (err) {
      if (!(err instanceof ParamsError || err instanceof DomainError)) throw err;
      setFlash(c, "alert", err.message);
      return c.redirect(jobUrl(access.project, _job.id), 303);
    }
    const notice = breakpoint ? "Job retried with a terminal breakpoint." : "Job retried.";
    return jobAction(c, notice, (pipelines, job, userId) => pipelines.retryJob(job.id, userId, breakpoint));
  });
  r.post(`${JOB}/continue`, async (c) => {
    const { job, ...access } = routeJob(c, "open_terminal");
    try {
      await continueJob(c.get("deps"), job);
      setFlash(c, "notice", "Continued.");
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      setFlash(c, "alert", err.message);
    }
    return c.redirect(jobUrl(access.project, job.id), 303);
  });
  r.post(`${JOB}/play`, async (c) => {
    const { variables, errors } = variableRows(await c.req.parseBody(), "variables", 10);
    if (Object.keys(errors).length > 0) {
      const { job, ...access } = routeJob(c, "update_job");
      setFlash(c, "alert", `Variables: ${Object.values(errors)[0]}`);
      return c.redirect(jobUrl(access.project, job.id), 303);
    }
    return jobAction(c, "Job started.", (pipelines, job, userId) => pipelines.playJob(job.id, userId, variables));
  });
}

/**
 * What of the log the job page shows, from its query: `q` (and `from`) a search rendered by the server, `around`
 * and `line` the lines around a hit instead of the tail (the search without JavaScript). Odd values are ignored.
 */
function logView(c: UiContext, jobId: number) {
  const traces = c.get("deps").traces;
  const q = c.req.query("q")?.trim().slice(0, MAX_QUERY_CHARS) ?? "";
  const found = q ? searchLog(traces, jobId, q, c.req.query("from") ?? null) : null;
  const offset = Number(c.req.query("around"));
  const line = Number(c.req.query("line"));
  const around =
    Number.isSafeInteger(offset) && offset >= 0 && offset < traces.size(jobId) && Number.isSafeInteger(line) && line > 0
      ? { offset, line }
      : null;
  return { search: found ? { query: q, found } : null, around };
}

/** The job's terminal hold with who is attached, or null when no terminal holds it. */
function terminalHold(c: UiContext, jobId: number): JobShowProps["hold"] {
  const hold = c.get("deps").terminalHold?.(jobId);
  if (!hold) return null;
  return { endsAt: hold.endsAt, attached: c.get("deps").store.repos.terminalSessions.openOnJob(jobId) };
}

/**
 * Runs a job action; a refusal from the queue (wrong state) comes back as a flash. An action taken on the pipeline
 * graph (`return_to=pipeline`) returns to the pipeline, as GitLab does; one from the job page goes to the job.
 */
async function jobAction(
  c: UiContext,
  notice: string,
  act: (pipelines: PipelineService, job: JobRow, userId: number) => JobRow,
): Promise<Response> {
  // A bridge's box on the pipeline graph plays, cancels and retries it too.
  const { job, ...access } = routeJob(c, "update_job", ["build", "bridge"]);
  const toPipeline = (await c.req.parseBody()).return_to === "pipeline" || job.kind === "bridge";
  const back = (jobId: number) =>
    toPipeline ? pipelineUrl(access.project, job.pipelineId) : jobUrl(access.project, jobId);
  try {
    const result = act(c.get("deps").pipelines, job, c.get("actor")!.user.id);
    setFlash(c, "notice", notice);
    return c.redirect(back(result.id), 303);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    setFlash(c, "alert", err.message);
    return c.redirect(back(job.id), 303);
  }
}
