// The pipeline graph: stage columns of job boxes (status, name, duration, one action), `needs` drawn as SVG curves;
// a bridge's box links to the pipeline it created.
/** @jsxImportSource hono/jsx */
import { isCancelable, isRetryable, stageStatus } from "../../../domain/status.ts";
import type { JobRow, ProjectRow } from "../../../store/rows.ts";
import type { LinkedPipeline } from "../data/pipelines.ts";
import { jobUrl, pipelineUrl } from "../urls.ts";
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
  /** The pipelines the bridges created, by bridge id. */
  downstream: ReadonlyMap<number, LinkedPipeline>;
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
              <StatusIcon status={stageStatus(stage.all)} label />
              {stage.name}
            </h3>
            <ul>
              {stage.jobs.map((job) => {
                const action = props.canUpdate ? jobAction(job) : null;
                const bridge = job.kind === "bridge";
                return (
                  <li
                    class={bridge ? "job-box bridge" : "job-box"}
                    data-job-id={String(job.id)}
                    data-status={job.status}
                  >
                    <StatusIcon status={shownJobStatus(job)} label />
                    {bridge ? (
                      <BridgeLink project={props.project} job={job} downstream={props.downstream.get(job.id)} />
                    ) : (
                      <a class="job-link" href={jobUrl(props.project, job.id)} title={job.name}>
                        <span class="job-name">{job.name}</span>
                        <JobDuration job={job} />
                      </a>
                    )}
                    {action && (
                      <form method="post" action={`${jobUrl(props.project, job.id)}/${action.path}`}>
                        <CsrfField token={props.csrfToken} />
                        <input type="hidden" name="return_to" value="pipeline" />
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

/** A bridge's name and what it created: `child #12` or `group/project #13`, linked; why not, when it failed. */
export function BridgeLink(props: { project: ProjectRow; job: JobRow; downstream: LinkedPipeline | undefined }) {
  const { job, downstream } = props;
  const title = job.errorMessage ? `${job.name}: ${job.errorMessage}` : job.name;
  if (!downstream) {
    const why = job.status === "failed" ? (job.failureReason ?? "failed").replaceAll("_", " ") : "no downstream yet";
    return (
      <span class="job-link" title={title}>
        <span class="job-name">{job.name}</span>
        <span class="job-dur">{why}</span>
      </span>
    );
  }
  const child = downstream.project.id === props.project.id;
  const what = child
    ? `child #${downstream.pipeline.id}`
    : `${downstream.project.namespace}/${downstream.project.path} #${downstream.pipeline.id}`;
  const full = `${title} → ${child ? "child pipeline" : "pipeline"} ${what.replace("child ", "")}`;
  return (
    <a class="job-link" href={pipelineUrl(downstream.project, downstream.pipeline.id)} title={full}>
      <span class="job-name">{job.name}</span>
      <span class="job-dur">
        {what} · {statusLabel(downstream.pipeline.status)}
      </span>
    </a>
  );
}
