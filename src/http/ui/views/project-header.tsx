// The project's header on every project page: breadcrumbs, name, and tabs (overview, pipelines, jobs, members, settings).
/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import type { ProjectRow } from "../../../store/rows.ts";
import {
  ciEditorUrl,
  environmentsUrl,
  jobsUrl,
  membersUrl,
  pipelinesUrl,
  pipelineUrl,
  projectUrl,
  settingsCiCdUrl,
  userUrl,
} from "../urls.ts";

export type ProjectTab = "overview" | "pipelines" | "jobs" | "environments" | "editor" | "members" | "settings";

export interface Crumb {
  label: string;
  href?: string;
}

/** The breadcrumbs down to pipeline `pipelineId` (Pipelines › #id, both links), then `more`. */
export const pipelineTrail = (project: ProjectRow, pipelineId: number, ...more: Crumb[]): Crumb[] => [
  { label: "Pipelines", href: pipelinesUrl(project) },
  { label: `#${pipelineId}`, href: pipelineUrl(project, pipelineId) },
  ...more,
];

export interface ProjectHeaderProps {
  project: ProjectRow;
  tab: ProjectTab;
  /** Whether to show the Settings tab (Maintainers and up). */
  canAdmin: boolean;
  /** Extra breadcrumb items after the project, e.g. `Pipelines`, `#42`. */
  trail?: Crumb[];
  /** Shown at the right of the title row. */
  actions?: Child;
  /** Title override (defaults to the project name). */
  title?: Child;
}

export function ProjectHeader(props: ProjectHeaderProps) {
  const p = props.project;
  const tabs: [ProjectTab, string, string][] = [
    ["overview", "Overview", projectUrl(p)],
    ["pipelines", "Pipelines", pipelinesUrl(p)],
    ["jobs", "Jobs", jobsUrl(p)],
    ["environments", "Environments", environmentsUrl(p)],
    ["editor", "Pipeline editor", ciEditorUrl(p)],
    ["members", "Members", membersUrl(p)],
  ];
  if (props.canAdmin) tabs.push(["settings", "CI/CD settings", settingsCiCdUrl(p)]);
  return (
    <>
      <nav class="breadcrumbs" aria-label="Breadcrumb">
        <ol>
          <li>
            <a href={userUrl(p.namespace)}>{p.namespace}</a>
          </li>
          <li>
            <a href={projectUrl(p)}>{p.name}</a>
          </li>
          {(props.trail ?? []).map((t) => (
            <li>{t.href ? <a href={t.href}>{t.label}</a> : t.label}</li>
          ))}
        </ol>
      </nav>
      <div class="page-head">
        <div class="project-title">
          <span class="project-avatar" aria-hidden="true">
            {p.name.slice(0, 1).toUpperCase()}
          </span>
          <h1>{props.title ?? p.name}</h1>
        </div>
        {props.actions && <div class="actions">{props.actions}</div>}
      </div>
      <nav class="tabs" aria-label="Project">
        {tabs.map(([key, label, href]) => (
          <a href={href} aria-current={key === props.tab ? "page" : undefined}>
            {label}
          </a>
        ))}
      </nav>
    </>
  );
}
