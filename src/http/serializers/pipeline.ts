// Pipeline JSON: GitLab's Ci::PipelineBasic (lists) and Ci::Pipeline (single pipeline) with detailed_status.
import type { PipelineStatus } from "../../domain/status.ts";
import type { PipelineRow, ProjectRow } from "../../store/rows.ts";
import type { Lookups } from "./lookups.ts";
import { iso, seconds } from "./time.ts";
import { userBasic } from "./user.ts";

/** GitLab's label for each status in the UI and `detailed_status.text`. */
const STATUS_TEXT: Record<PipelineStatus, string> = {
  created: "created",
  pending: "pending",
  running: "running",
  success: "passed",
  failed: "failed",
  canceled: "canceled",
  skipped: "skipped",
  manual: "blocked",
  scheduled: "scheduled",
  waiting_for_resource: "waiting",
};

export function pipelineWebUrl(project: ProjectRow, pipelineId: number, look: Lookups): string {
  return `${look.baseUrl}/${project.namespace}/${project.path}/-/pipelines/${pipelineId}`;
}

/** GitLab's Ci::PipelineBasic. */
export function pipelineBasic(p: PipelineRow, look: Lookups) {
  const project = look.project(p.projectId)!;
  return {
    id: p.id,
    iid: p.iid,
    project_id: p.projectId,
    sha: p.sha,
    ref: p.ref,
    status: p.status,
    source: p.source,
    name: p.name,
    created_at: iso(p.createdAt),
    updated_at: iso(p.updatedAt ?? p.createdAt),
    web_url: pipelineWebUrl(project, p.id, look),
  };
}

/** GitLab's Ci::Pipeline. */
export function pipelineEntity(p: PipelineRow, look: Lookups) {
  const user = look.user(p.userId);
  const basic = pipelineBasic(p, look);
  const duration = p.startedAt && p.finishedAt ? Math.round(seconds(p.startedAt, p.finishedAt)!) : null;
  const queued = p.startedAt ? Math.round(seconds(p.createdAt, p.startedAt)!) : null;
  return {
    ...basic,
    before_sha: p.beforeSha,
    tag: p.tag,
    yaml_errors: null,
    user: user ? userBasic(user, look.baseUrl) : null,
    started_at: iso(p.startedAt),
    finished_at: iso(p.finishedAt),
    committed_at: p.commit?.committedAt ?? null,
    duration,
    queued_duration: queued,
    coverage: look.pipelineCoverage(p.id)?.toFixed(2) ?? null,
    detailed_status: detailedStatus(p.status, new URL(basic.web_url).pathname),
  };
}

/** GitLab's DetailedStatusEntity, enough for clients that draw a status badge. */
export function detailedStatus(status: PipelineStatus, detailsPath: string) {
  const text = STATUS_TEXT[status];
  return {
    icon: `status_${status}`,
    text,
    label: text,
    group: status,
    tooltip: text,
    has_details: true,
    details_path: detailsPath,
    illustration: null,
    favicon: `/assets/ci_favicons/favicon_status_${status}.png`,
  };
}
