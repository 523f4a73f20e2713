// The project's jobs, like GitLab's Jobs page: newest first, filtered by status, paged; each with its pipeline.
/** @jsxImportSource hono/jsx */
import type { JobStatus } from "../../../domain/status.ts";
import type { JobRow, PipelineRow, ProjectRow } from "../../../store/rows.ts";
import { jobUrl, liveEventsUrl, pipelineUrl } from "../urls.ts";
import { Select } from "../views/form.tsx";
import { Icon } from "../views/icons.tsx";
import { ListTable } from "../views/list-table.tsx";
import { type PageInfo, Pagination } from "../views/pagination.tsx";
import { ProjectHeader } from "../views/project-header.tsx";
import { StatusBadge, shownJobStatus, statusLabel } from "../views/status.tsx";
import { TimeAgo } from "../views/time.tsx";
import { JobDuration } from "./pipeline-graph.tsx";

export interface JobsIndexProps {
  project: ProjectRow;
  items: { job: JobRow; pipeline: PipelineRow | null }[];
  status: JobStatus | undefined;
  pageInfo: PageInfo;
  href: (page: number) => string;
  canAdmin: boolean;
}

const STATUS_OPTIONS = ["running", "pending", "success", "failed", "canceled", "skipped", "manual", "created"] as const;

export function JobsIndexPage(props: JobsIndexProps) {
  const { project } = props;
  return (
    <div data-live-events={liveEventsUrl({ project: project.id })}>
      <ProjectHeader project={project} tab="jobs" canAdmin={props.canAdmin} trail={[{ label: "Jobs" }]} title="Jobs" />
      <form method="get" class="filters" role="search" aria-label="Filter jobs">
        <Select
          name="status"
          label="Status"
          value={props.status ?? ""}
          options={[
            { value: "", label: "Any status" },
            ...STATUS_OPTIONS.map((s) => ({ value: s, label: statusLabel(s) })),
          ]}
        />
        <button type="submit" class="btn">
          Filter
        </button>
        {props.status && (
          <a class="btn btn-quiet" href="?">
            Clear
          </a>
        )}
      </form>
      <div data-live-region="jobs">
        {props.items.length === 0 ? (
          <div class="empty">
            <h2>{props.status ? `No ${statusLabel(props.status)} jobs` : "No jobs yet"}</h2>
          </div>
        ) : (
          <ListTable
            columns={["Status", "Job", "Pipeline", "Stage", "Duration", { label: "Created", class: "hide-narrow" }]}
          >
            {props.items.map(({ job, pipeline }) => (
              <tr>
                <td>
                  <StatusBadge status={shownJobStatus(job)} href={jobUrl(project, job.id)} />
                </td>
                <td>
                  <a href={jobUrl(project, job.id)}>{job.name}</a> <span class="muted">#{job.id}</span>
                </td>
                <td>
                  <a href={pipelineUrl(project, job.pipelineId)}>#{job.pipelineId}</a>{" "}
                  {pipeline && (
                    <span class="ref">
                      <Icon name="branch" />
                      {pipeline.ref}
                    </span>
                  )}
                </td>
                <td>{job.stage}</td>
                <td>
                  <JobDuration job={job} />
                </td>
                <td class="hide-narrow">
                  <TimeAgo at={job.createdAt} />
                </td>
              </tr>
            ))}
          </ListTable>
        )}
      </div>
      <Pagination {...props.pageInfo} href={props.href} />
    </div>
  );
}
