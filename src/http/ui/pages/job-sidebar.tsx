// The job page's sidebar: timing, runner, timeout, variables' names, actions, and the pipeline's other jobs.
/** @jsxImportSource hono/jsx */
import { isCancelable, isRetryable } from "../../../domain/status.ts";
import type { JobArtifactRow, JobRow, PipelineRow, ProjectRow, RunnerRow } from "../../../store/rows.ts";
import { jobUrl, pipelineUrl } from "../urls.ts";
import { ActionButton } from "../views/form.tsx";
import { humanDuration, secondsBetween, shortSha } from "../views/format.ts";
import { Icon } from "../views/icons.tsx";
import { StatusBadge, StatusIcon, shownJobStatus } from "../views/status.tsx";
import { TimeAgo } from "../views/time.tsx";
import { JobArtifactsPanel } from "./job-artifacts-panel.tsx";

export interface JobSidebarProps {
  project: ProjectRow;
  pipeline: PipelineRow;
  job: JobRow;
  runner: RunnerRow | null;
  /** Current jobs of the pipeline, for the list of related jobs. */
  pipelineJobs: JobRow[];
  variableNames: string[];
  canUpdate: boolean;
  csrfToken: string;
  defaultTimeoutSeconds: number;
  /** The job's unexpired archive and reports, for the artifacts card. */
  archive: JobArtifactRow | null;
  reports: JobArtifactRow[];
}

function Elapsed(props: { from: Date | null; to: Date | null }) {
  const seconds = secondsBetween(props.from, props.to);
  if (seconds === null) return <span class="muted">—</span>;
  if (props.to || !props.from) return <span>{humanDuration(seconds)}</span>;
  return (
    <span data-elapsed-since={props.from.toISOString()} data-elapsed-format="human">
      {humanDuration(seconds)}
    </span>
  );
}

export function JobActions(props: Pick<JobSidebarProps, "project" | "job" | "canUpdate" | "csrfToken">) {
  const { job, project } = props;
  if (!props.canUpdate) return null;
  const base = jobUrl(project, job.id);
  return (
    <div class="actions">
      {job.status === "manual" && (
        <ActionButton
          action={`${base}/play`}
          label="Run job"
          variant="primary"
          icon={<Icon name="play" />}
          csrfToken={props.csrfToken}
        />
      )}
      {isCancelable(job.status) && job.status !== "manual" && (
        <ActionButton
          action={`${base}/cancel`}
          label="Cancel"
          variant="danger"
          icon={<Icon name="cancel" />}
          csrfToken={props.csrfToken}
        />
      )}
      {isRetryable(job.status) && !job.retried && (
        <ActionButton action={`${base}/retry`} label="Retry" icon={<Icon name="retry" />} csrfToken={props.csrfToken} />
      )}
    </div>
  );
}

export function JobSidebar(props: JobSidebarProps) {
  const { job, pipeline, project } = props;
  const queuedFrom = job.queuedAt ?? job.createdAt;
  const timeout = job.timeoutSeconds ?? job.spec.timeout ?? props.defaultTimeoutSeconds;
  const stages = [...new Set(props.pipelineJobs.map((j) => j.stage))];
  return (
    <aside class="sidebar" aria-label="Job details">
      <section class="card">
        <h2>Job</h2>
        <dl class="kv">
          <dt>Status</dt>
          <dd>
            <StatusBadge status={shownJobStatus(job)} />
          </dd>
          <dt>Duration</dt>
          <dd>
            <Elapsed from={job.startedAt} to={job.finishedAt} />
          </dd>
          <dt>Queued</dt>
          <dd>
            <Elapsed
              from={job.status === "created" || job.status === "manual" ? null : queuedFrom}
              to={job.startedAt ?? job.finishedAt ?? null}
            />
          </dd>
          {job.finishedAt && (
            <>
              <dt>Finished</dt>
              <dd>
                <TimeAgo at={job.finishedAt} />
              </dd>
            </>
          )}
          <dt>Timeout</dt>
          <dd>
            {humanDuration(timeout)}
            {job.spec.timeout === undefined ? " (default)" : ""}
          </dd>
          <dt>Runner</dt>
          <dd>{props.runner ? `#${props.runner.id} ${props.runner.description}` : <span class="muted">—</span>}</dd>
          <dt>Stage</dt>
          <dd>{job.stage}</dd>
          {job.failureReason && (
            <>
              <dt>Failure</dt>
              <dd>
                {job.failureReason.replaceAll("_", " ")}
                {job.exitCode !== null ? ` (exit code ${job.exitCode})` : ""}
              </dd>
            </>
          )}
          {job.spec.tags.length > 0 && (
            <>
              <dt>Tags</dt>
              <dd>
                {job.spec.tags.map((t) => (
                  <span class="pill">{t}</span>
                ))}
              </dd>
            </>
          )}
        </dl>
      </section>
      <JobArtifactsPanel {...props} />
      <section class="card">
        <h2>Commit</h2>
        <dl class="kv">
          <dt>Pipeline</dt>
          <dd>
            <a href={pipelineUrl(project, pipeline.id)}>#{pipeline.id}</a>
          </dd>
          <dt>Ref</dt>
          <dd>
            <span class="ref">
              <Icon name="branch" />
              {pipeline.ref}
            </span>
          </dd>
          <dt>SHA</dt>
          <dd class="mono">{shortSha(pipeline.sha)}</dd>
        </dl>
      </section>
      <section class="card">
        <h2>Variables</h2>
        {props.variableNames.length === 0 ? (
          <p class="muted">Only predefined variables.</p>
        ) : (
          <div class="var-names">
            {props.variableNames.map((n) => (
              <code>{n}</code>
            ))}
          </div>
        )}
      </section>
      <section class="card">
        <h2>Jobs in this pipeline</h2>
        {stages.map((stage) => (
          <>
            <h3 class="muted">{stage}</h3>
            <ul class="plain">
              {props.pipelineJobs
                .filter((j) => j.stage === stage)
                .map((j) => (
                  <li class={j.id === job.id ? "current" : undefined}>
                    <StatusIcon status={shownJobStatus(j)} label />
                    {j.id === job.id ? (
                      <span aria-current="page">{j.name}</span>
                    ) : (
                      <a href={jobUrl(project, j.id)}>{j.name}</a>
                    )}
                  </li>
                ))}
            </ul>
          </>
        ))}
      </section>
    </aside>
  );
}
