// The job page: status and actions, the live log with sections, and the sidebar; Debug opens the terminal.
/** @jsxImportSource hono/jsx */
import { jobTerminalUrl, liveEventsUrl } from "../urls.ts";
import { Icon } from "../views/icons.tsx";
import { ProjectHeader, pipelineTrail } from "../views/project-header.tsx";
import { StatusBadge, shownJobStatus } from "../views/status.tsx";
import { TimeAgo } from "../views/time.tsx";
import { JobActions, JobSidebar, type JobSidebarProps } from "./job-sidebar.tsx";
import { LogPanel, type LogPanelProps } from "./log-panel.tsx";
import { ManualJobPanel } from "./manual-job-panel.tsx";

export interface JobShowProps extends JobSidebarProps {
  log: LogPanelProps;
  canAdmin: boolean;
  /** Whether this user may open the job's terminal (shown only while the job runs). */
  canDebug: boolean;
  triggeredBy: string | null;
}

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
            Debug
          </a>
        )}
        <JobActions {...props} />
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
        </div>
        <div data-live-region="job-sidebar">
          <JobSidebar {...props} />
        </div>
      </div>
    </div>
  );
}
