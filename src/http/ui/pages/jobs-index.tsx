// The project's jobs, like GitLab's Jobs page: newest first, filtered by status, paged; each with its pipeline.
/** @jsxImportSource hono/jsx */
import type { JobStatus } from "../../../domain/status.ts";
import type { JobRow, PipelineRow, ProjectRow } from "../../../store/rows.ts";
import { jobUrl, liveEventsUrl, pipelineUrl } from "../urls.ts";
import { Select } from "../views/form.tsx";
import { Icon } from "../views/icons.tsx";
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
          <div class="table-wrap">
            <table class="list">
              <thead>
                <tr>
                  <th scope="col">Status</th>
                  <th scope="col">Job</th>
                  <th scope="col">Pipeline</th>
                  <th scope="col">Stage</th>
                  <th scope="col">Duration</th>
                  <th scope="col" class="hide-narrow">
                    Created
                  </th>
                </tr>
              </thead>
              <tbody>
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
              </tbody>
            </table>
          </div>
        )}
      </div>
      <Pagination {...props.pageInfo} href={props.href} />
    </div>
  );
}
