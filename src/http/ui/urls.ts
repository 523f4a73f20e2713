// Page URLs with GitLab's paths (`/<namespace>/<project>/-/pipelines/<id>` …), built in one place.
import type { ProjectRow } from "../../store/rows.ts";

type P = Pick<ProjectRow, "namespace" | "path">;
const seg = (s: string) => encodeURIComponent(s);

/** A user's profile, where the API's `web_url` points. */
export const userUrl = (username: string): string => `/${seg(username)}`;
export const projectUrl = (p: P): string => `/${seg(p.namespace)}/${seg(p.path)}`;
export const pipelinesUrl = (p: P): string => `${projectUrl(p)}/-/pipelines`;
export const newPipelineUrl = (p: P): string => `${projectUrl(p)}/-/pipelines/new`;
export const pipelineUrl = (p: P, id: number): string => `${projectUrl(p)}/-/pipelines/${id}`;
export const jobsUrl = (p: P): string => `${projectUrl(p)}/-/jobs`;
export const jobUrl = (p: P, id: number): string => `${jobsUrl(p)}/${id}`;
export const jobRawUrl = (p: P, id: number): string => `${jobUrl(p, id)}/raw`;
/** The terminal helper's page for a running job. */
export const jobArtifactsUrl = (p: P, id: number): string => `${jobUrl(p, id)}/artifacts`;
export const pipelineTestsUrl = (p: P, id: number): string => `${pipelineUrl(p, id)}/test_report`;
export const jobTerminalUrl = (p: P, id: number): string => `${jobUrl(p, id)}/terminal`;
/** A read-only share link's page: the terminal, watching through the link's token. */
export const terminalShareUrl = (p: P, job: number, token: string): string =>
  `${jobTerminalUrl(p, job)}?share=${encodeURIComponent(token)}`;
/** The player page of a job's recorded terminal session (`session`: its first connection's id). */
export const terminalRecordingUrl = (p: P, job: number, session: number): string =>
  `${jobUrl(p, job)}/terminal_sessions/${session}`;
/** The pipeline editor: CI lint as you type, the merged YAML, and Run pipeline. */
export const ciEditorUrl = (p: P): string => `${projectUrl(p)}/-/ci/editor`;
export const settingsCiCdUrl = (p: P): string => `${projectUrl(p)}/-/settings/ci_cd`;
export const schedulesUrl = (p: P): string => `${projectUrl(p)}/-/pipeline_schedules`;
export const environmentsUrl = (p: P): string => `${projectUrl(p)}/-/environments`;
export const membersUrl = (p: P): string => `${projectUrl(p)}/-/project_members`;
export const badgeUrl = (p: P, ref: string): string => `${projectUrl(p)}/badges/${seg(ref)}/pipeline.svg`;
/** The server-sent events that tell a page something changed (see live-routes). */
export const liveEventsUrl = (q: { project?: number; pipeline?: number; job?: number }): string => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
  return `/-/ui/events?${params}`;
};

/** The pages' CI lint endpoint (JSON in and out; `project_id` lints against that project's repository). */
export const LINT_URL = "/-/ui/ci/lint";

/** Only same-site paths are followed after sign-in (no `//evil.example` or `https://…`). */
export function safeRedirectPath(target: string | undefined | null): string {
  if (!target?.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return "/";
  return /[\x00-\x1f]/.test(target) ? "/" : target;
}
