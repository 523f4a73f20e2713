// The job page: status and actions, the live log with sections, and the sidebar; Debug opens the terminal.
/** @jsxImportSource hono/jsx */

import type { DebugPause } from "../../../domain/debug.ts";
import { isRetryable } from "../../../domain/status.ts";
import type { RecordedSession } from "../../../session/job-recordings.ts";
import { environmentsUrl, jobTerminalUrl, jobUrl, liveEventsUrl } from "../urls.ts";
import { countdownClock } from "../views/format.ts";
import { Icon } from "../views/icons.tsx";
import { ProjectHeader, pipelineTrail } from "../views/project-header.tsx";
import { StatusBadge, shownJobStatus } from "../views/status.tsx";
import { TimeAgo } from "../views/time.tsx";
import { DebugPauseNotice, debugLabel, RetryWithTerminal } from "./job-debug.tsx";
import { JobActions, JobSidebar, type JobSidebarProps } from "./job-sidebar.tsx";
import { LogPanel, type LogPanelProps } from "./log-panel.tsx";
import { ManualJobPanel } from "./manual-job-panel.tsx";
import { TerminalSessionsPanel } from "./terminal-recordings.tsx";
import { type ShareLinkItem, ShareLinksPanel } from "./terminal-share-links.tsx";

export interface JobShowProps extends JobSidebarProps {
  log: LogPanelProps;
  canAdmin: boolean;
  /** Whether this user may open the job's terminal (shown only while the job runs). */
  canDebug: boolean;
  triggeredBy: string | null;
  /** While a terminal holds the job after its script: when the hold ends, and who is attached. */
  hold: { endsAt: Date; attached: { username: string | null; mode: "rw" | "ro" }[] } | null;
  /** The job's terminal sessions with their recordings (empty for those below Reporter). */
  terminalSessions: RecordedSession[];
  /** The working read-only share links, for those who may make them (null for everyone else). */
  shareLinks: { items: ShareLinkItem[]; anonymous: boolean } | null;
  /** While the job waits for a terminal at a breakpoint or after its script failed. */
  debugPause: DebugPause | null;
  /** Whether this user may retry the job with a terminal (they could open the new try's terminal). */
  canRetryWithTerminal: boolean;
}

/** "Held by a terminal: ends in 29:41" with a live countdown, and who is attached (writing or watching). */
function TerminalHold(props: { hold: NonNullable<JobShowProps["hold"]> }) {
  const { endsAt, attached } = props.hold;
  const left = Math.max(0, (endsAt.getTime() - Date.now()) / 1000);
  return (
    <p class="flash-notice terminal-hold" role="status">
      Held by a terminal: ends in <span data-countdown-to={endsAt.toISOString()}>{countdownClock(left)}</span>
      {attached.length > 0 && (
        <>
          {" "}
          · attached:{" "}
          {attached
            .map((a) => `${a.username ?? "a deleted user"} (${a.mode === "rw" ? "writing" : "watching"})`)
            .join(", ")}
        </>
      )}
    </p>
  );
}

/** What a job does to its environment, as its page says it (GitLab's wording). */
const ENVIRONMENT_WORDS = {
  start: "This job deploys to",
  stop: "This job stops",
  prepare: "This job prepares",
  verify: "This job verifies",
  access: "This job accesses",
} as const;

export function JobShowPage(props: JobShowProps) {
  const { job, project, pipeline } = props;
  const manual = job.status === "manual";
  return (
    <div data-live-events={liveEventsUrl({ project: project.id, pipeline: pipeline.id, job: job.id })}>
      <ProjectHeader
        project={project}
        tab="pipelines"
        canAdmin={props.canAdmin}
        trail={pipelineTrail(project, pipeline.id, { label: job.name })}
        title={
          <>
            Job <span class="mono">{job.name}</span>
          </>
        }
      />
      <div class="job-head" data-live-region="job-head">
        <StatusBadge status={shownJobStatus(job)} />
        <span class="muted">
          #{job.id}
          {props.triggeredBy && <> · started by {props.triggeredBy}</>} · created <TimeAgo at={job.createdAt} />
        </span>
        <span class="grow"></span>
        {job.status === "running" && props.canDebug && (
          <a class="btn" href={jobTerminalUrl(project, job.id)} target="_blank" rel="noopener" data-debug>
            <Icon name="terminal" />
            {debugLabel(props.debugPause)}
          </a>
        )}
        <JobActions {...props} />
        {props.canUpdate && props.canRetryWithTerminal && isRetryable(job.status) && !job.retried && (
          <RetryWithTerminal action={`${jobUrl(project, job.id)}/retry`} csrfToken={props.csrfToken} />
        )}
      </div>
      <div data-live-region="job-hold">
        {props.hold && <TerminalHold hold={props.hold} />}
        {props.debugPause && job.status === "running" && (
          <DebugPauseNotice
            pause={props.debugPause}
            canContinue={props.canDebug}
            continueAction={`${jobUrl(project, job.id)}/continue`}
            csrfToken={props.csrfToken}
          />
        )}
      </div>
      {job.spec.environment && (
        <p class="muted job-environment">
          {ENVIRONMENT_WORDS[job.spec.environment.action]}{" "}
          <a href={environmentsUrl(project)}>{job.spec.environment.name}</a>
        </p>
      )}
      <div data-live-region="job-waiting">
        {job.status === "waiting_for_resource" && (
          <p class="flash-notice" role="status">
            This job is waiting for resource: <span class="mono">{job.spec.resourceGroup}</span>
          </p>
        )}
      </div>
      <div class="job-layout">
        <div>
          {manual ? (
            <div data-live-region="job-manual" data-live-reload>
              <ManualJobPanel {...props} />
            </div>
          ) : (
            <LogPanel {...props.log} />
          )}
          {props.shareLinks && (
            <ShareLinksPanel
              base={jobUrl(project, job.id)}
              links={props.shareLinks.items}
              anonymous={props.shareLinks.anonymous}
              running={job.status === "running"}
              csrfToken={props.csrfToken}
            />
          )}
          <TerminalSessionsPanel project={project} job={job} sessions={props.terminalSessions} />
        </div>
        <div data-live-region="job-sidebar">
          <JobSidebar {...props} />
        </div>
      </div>
    </div>
  );
}
