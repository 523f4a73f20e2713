// One pipeline: header with status, ref, commit and actions; the stage graph with needs; and a table of its jobs.
/** @jsxImportSource hono/jsx */
import { isCancelable } from "../../../domain/status.ts";
import type { JobRow, PipelineRow, ProjectRow, UserRow } from "../../../store/rows.ts";
import type { LinkedPipeline } from "../data/pipelines.ts";
import { jobUrl, liveEventsUrl, pipelinesUrl, pipelineUrl, userUrl } from "../urls.ts";
import { ActionButton } from "../views/form.tsx";
import { clockDuration, secondsBetween, shortSha } from "../views/format.ts";
import { Icon } from "../views/icons.tsx";
import { ListTable } from "../views/list-table.tsx";
import { type PageInfo, Pagination } from "../views/pagination.tsx";
import { ProjectHeader } from "../views/project-header.tsx";
import { StatusBadge, shownJobStatus } from "../views/status.tsx";
import { TimeAgo } from "../views/time.tsx";
import { JobDuration, PipelineGraph } from "./pipeline-graph.tsx";
import { type ExposedArtifact, ExposedArtifacts, PipelineTabs } from "./pipeline-tabs.tsx";

export interface PipelineShowProps {
  project: ProjectRow;
  pipeline: PipelineRow;
  jobs: JobRow[];
  /** Earlier attempts of retried jobs, listed collapsed below the current ones (GitLab keeps them). */
  retriedJobs: JobRow[];
  user: UserRow | null;
  canUpdate: boolean;
  canDelete: boolean;
  canAdmin: boolean;
  csrfToken: string;
  /** Which page of the jobs table is shown (a large pipeline's table is paged). */
  jobsPage: PageInfo;
  jobsPageHref: (page: number) => string;
  /** Cases in the pipeline's junit reports, for the Tests tab. */
  testCount: number;
  /** The jobs' `artifacts:expose_as` links. */
  exposed: ExposedArtifact[];
  /** The pipelines its bridges created, by bridge id. */
  downstream: ReadonlyMap<number, LinkedPipeline>;
  /** The pipeline that triggered this one (a child's parent, a multi-project pipeline's upstream). */
  upstream: (LinkedPipeline & { bridgeName: string }) | null;
}

/** Rows per page of the jobs table. */
export const JOBS_PER_PAGE = 100;

function PipelineActions(props: PipelineShowProps) {
  if (!props.canUpdate) return null;
  const base = pipelineUrl(props.project, props.pipeline.id);
  const cancelable = props.jobs.some((j) => isCancelable(j.status) && j.status !== "manual");
  const retryable = props.jobs.some((j) => j.status === "failed" || j.status === "canceled");
  return (
    <>
      {retryable && (
        <ActionButton action={`${base}/retry`} label="Retry" icon={<Icon name="retry" />} csrfToken={props.csrfToken} />
      )}
      {cancelable && (
        <ActionButton
          action={`${base}/cancel`}
          label="Cancel pipeline"
          variant="danger"
          icon={<Icon name="cancel" />}
          csrfToken={props.csrfToken}
        />
      )}
      {props.canDelete && !cancelable && (
        <ActionButton
          action={`${base}/delete`}
          label="Delete"
          variant="danger"
          icon={<Icon name="trash" />}
          csrfToken={props.csrfToken}
          confirm="Delete this pipeline and its job logs? This cannot be undone."
        />
      )}
    </>
  );
}

export function PipelineShowPage(props: PipelineShowProps) {
  const { project, pipeline } = props;
  const running = pipeline.startedAt && !pipeline.finishedAt;
  const first = (props.jobsPage.page - 1) * props.jobsPage.perPage;
  return (
    <div data-live-events={liveEventsUrl({ project: project.id, pipeline: pipeline.id })}>
      <ProjectHeader
        project={project}
        tab="pipelines"
        canAdmin={props.canAdmin}
        trail={[{ label: "Pipelines", href: pipelinesUrl(project) }, { label: `#${pipeline.id}` }]}
        title={`Pipeline #${pipeline.id}`}
      />
      <PipelineTabs project={project} pipeline={pipeline} current="pipeline" testCount={props.testCount} />
      <div data-live-region="pipeline">
        <div class="pipeline-summary">
          <StatusBadge status={pipeline.status} />
          <span class="ref">
            <Icon name="branch" />
            {pipeline.ref}
          </span>
          <span class="meta">
            <Icon name="commit" />
            <span class="mono">{shortSha(pipeline.sha)}</span>
          </span>
          {pipeline.commit && (
            <span class="meta" title={`${pipeline.commit.authorName} <${pipeline.commit.authorEmail}>`}>
              {pipeline.commit.title}
            </span>
          )}
          {pipeline.name && <span class="meta">{pipeline.name}</span>}
          <span class="meta">{pipeline.source}</span>
          {props.upstream && <UpstreamLink pipeline={pipeline} upstream={props.upstream} />}
          <span class="meta">
            <Icon name="user" />
            {props.user ? <a href={userUrl(props.user.username)}>{props.user.username}</a> : "—"}
          </span>
          <span class="meta">
            <Icon name="calendar" />
            created <TimeAgo at={pipeline.createdAt} />
          </span>
          {pipeline.startedAt && (
            <span class="meta">
              <Icon name="clock" />
              {running ? (
                <span data-elapsed-since={pipeline.startedAt.toISOString()}>
                  {clockDuration(secondsBetween(pipeline.startedAt, null))}
                </span>
              ) : (
                clockDuration(secondsBetween(pipeline.startedAt, pipeline.finishedAt))
              )}
            </span>
          )}
          <span class="grow"></span>
          <span class="actions">
            <PipelineActions {...props} />
          </span>
        </div>
        <PipelineGraph
          project={project}
          jobs={props.jobs}
          canUpdate={props.canUpdate}
          csrfToken={props.csrfToken}
          jobsHref="#jobs"
          downstream={props.downstream}
        />
        <ExposedArtifacts links={props.exposed} />
        <h2 id="jobs">
          Jobs <span class="pill">{props.jobs.length}</span>
        </h2>
        <JobsTable
          project={project}
          jobs={props.jobs.slice(first, first + props.jobsPage.perPage)}
          downstream={props.downstream}
        />
        <Pagination {...props.jobsPage} href={props.jobsPageHref} />
        {props.retriedJobs.length > 0 && (
          <details class="retried-jobs">
            <summary>
              Retried jobs <span class="pill">{props.retriedJobs.length}</span>
            </summary>
            <JobsTable project={project} jobs={props.retriedJobs} downstream={props.downstream} />
          </details>
        )}
      </div>
    </div>
  );
}

/** "Child pipeline of #12 (bridge)" or "Triggered by group/project #12 (bridge)", linked to that pipeline. */
function UpstreamLink(props: { pipeline: PipelineRow; upstream: LinkedPipeline & { bridgeName: string } }) {
  const { upstream } = props;
  const child = props.pipeline.source === "parent_pipeline";
  const what = child
    ? `#${upstream.pipeline.id}`
    : `${upstream.project.namespace}/${upstream.project.path} #${upstream.pipeline.id}`;
  return (
    <span class="meta upstream">
      {child ? "Child pipeline of " : "Triggered by "}
      <a href={pipelineUrl(upstream.project, upstream.pipeline.id)}>{what}</a>
      {upstream.bridgeName && <span class="muted"> ({upstream.bridgeName})</span>}
    </span>
  );
}

function JobsTable(props: { project: ProjectRow; jobs: JobRow[]; downstream: ReadonlyMap<number, LinkedPipeline> }) {
  const { project } = props;
  // A bridge has no job page: its row links to the pipeline it created.
  const href = (j: JobRow) => {
    if (j.kind === "build") return jobUrl(project, j.id);
    const down = props.downstream.get(j.id);
    return down ? pipelineUrl(down.project, down.pipeline.id) : undefined;
  };
  return (
    <ListTable columns={["Status", "Job", "Stage", "Duration"]}>
      {props.jobs.map((j) => (
        <tr>
          <td>
            <StatusBadge status={shownJobStatus(j)} href={href(j)} />
          </td>
          <td>
            {href(j) ? <a href={href(j)}>{j.name}</a> : j.name} <span class="muted">#{j.id}</span>{" "}
            {j.kind === "bridge" && <span class="pill">trigger</span>}
            {j.kind === "bridge" && j.errorMessage && <div class="muted">{j.errorMessage}</div>}
            {j.allowFailure && <span class="pill">allowed to fail</span>}{" "}
            {j.spec.when === "manual" && <span class="pill">manual</span>}
            {j.retried && <span class="pill">retried</span>}
          </td>
          <td>{j.stage}</td>
          <td>
            <JobDuration job={j} />
          </td>
        </tr>
      ))}
    </ListTable>
  );
}
