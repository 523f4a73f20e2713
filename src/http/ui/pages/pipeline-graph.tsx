// The pipeline graph: stage columns of job boxes (status, name, duration, one action), `needs` drawn as SVG curves.
/** @jsxImportSource hono/jsx */
import { compositeStatus, isCancelable, isRetryable } from "../../../domain/status.ts";
import type { JobRow, ProjectRow } from "../../../store/rows.ts";
import { jobUrl } from "../urls.ts";
import { CsrfField } from "../views/form.tsx";
import { clockDuration, secondsBetween } from "../views/format.ts";
import { Icon, type IconName } from "../views/icons.tsx";
import { StatusIcon, shownJobStatus, statusLabel } from "../views/status.tsx";
import { layoutGraph } from "./pipeline-graph-layout.ts";

export function JobDuration(props: { job: JobRow }) {
  const j = props.job;
  if (!j.startedAt) return <span class="job-dur">{statusLabel(shownJobStatus(j))}</span>;
  if (!j.finishedAt && j.status === "running") {
    return (
      <span class="job-dur" data-elapsed-since={j.startedAt.toISOString()}>
        {clockDuration(secondsBetween(j.startedAt, null))}
      </span>
    );
  }
  return <span class="job-dur">{clockDuration(secondsBetween(j.startedAt, j.finishedAt))}</span>;
}

/** The one action a job box offers: play a manual job, cancel an active one, retry a finished one. */
export function jobAction(job: JobRow): { path: string; icon: IconName; label: string } | null {
  if (job.status === "manual") return { path: "play", icon: "play", label: `Run ${job.name}` };
  if (isCancelable(job.status) && job.status !== "created")
    return { path: "cancel", icon: "cancel", label: `Cancel ${job.name}` };
  if (isRetryable(job.status) && !job.retried) return { path: "retry", icon: "retry", label: `Retry ${job.name}` };
  return null;
}

export function PipelineGraph(props: {
  project: ProjectRow;
  jobs: JobRow[];
  canUpdate: boolean;
  csrfToken: string;
  /** Where the full list of jobs is (the "more" box of a large stage links there). */
  jobsHref: string;
}) {
  const layout = layoutGraph(props.jobs);
  return (
    <div class="graph-scroll">
      <div class="graph" role="list" aria-label="Stages">
        <svg
          class="needs"
          width={layout.width}
          height={layout.height}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          aria-hidden="true"
        >
          {layout.links.map((l) => (
            <path d={l.d} data-from={String(l.from)} data-to={String(l.to)} />
          ))}
        </svg>
        {layout.stages.map((stage) => (
          <section class="stage" role="listitem" aria-label={`Stage ${stage.name}`}>
            <h3 class="stage-name">
              <StatusIcon status={compositeStatus(stage.all)} label />
              {stage.name}
            </h3>
            <ul>
              {stage.jobs.map((job) => {
                const action = props.canUpdate ? jobAction(job) : null;
                return (
                  <li class="job-box" data-job-id={String(job.id)} data-status={job.status}>
                    <StatusIcon status={shownJobStatus(job)} label />
                    <a class="job-link" href={jobUrl(props.project, job.id)} title={job.name}>
                      <span class="job-name">{job.name}</span>
                      <JobDuration job={job} />
                    </a>
                    {action && (
                      <form method="post" action={`${jobUrl(props.project, job.id)}/${action.path}`}>
                        <CsrfField token={props.csrfToken} />
                        <button type="submit" class="icon-btn" title={action.label} aria-label={action.label}>
                          <Icon name={action.icon} />
                        </button>
                      </form>
                    )}
                  </li>
                );
              })}
              {stage.hidden > 0 && (
                <li class="job-box more">
                  <a class="job-link" href={props.jobsHref}>
                    <span class="job-name">
                      {stage.hidden} more job{stage.hidden === 1 ? "" : "s"}
                    </span>
                  </a>
                </li>
              )}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}
