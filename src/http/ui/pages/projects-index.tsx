// "Your projects" (GitLab's dashboard at `/`): each project with its latest pipeline's status.
/** @jsxImportSource hono/jsx */
import type { ProjectListItem } from "../data/projects.ts";
import { liveEventsUrl, pipelineUrl, projectUrl } from "../urls.ts";
import { Icon } from "../views/icons.tsx";
import { type PageInfo, Pagination } from "../views/pagination.tsx";
import { StatusBadge } from "../views/status.tsx";
import { TimeAgo } from "../views/time.tsx";

export interface ProjectsIndexProps {
  items: ProjectListItem[];
  pageInfo: PageInfo;
  search: string;
  canCreate: boolean;
  href: (page: number) => string;
}

export function ProjectsIndexPage(props: ProjectsIndexProps) {
  return (
    <>
      <div class="page-head">
        <h1>Projects</h1>
        {props.canCreate && (
          <div class="actions">
            <a class="btn btn-primary" href="/projects/new">
              <Icon name="plus" />
              New project
            </a>
          </div>
        )}
      </div>
      <form method="get" action="/" class="filters" role="search">
        <div class="field">
          <label for="project-search">Filter by name</label>
          <input id="project-search" type="search" name="name" value={props.search} />
        </div>
        <button type="submit" class="btn">
          Filter
        </button>
      </form>
      <div data-live-events={liveEventsUrl({})}>
        <div data-live-region="projects">
          {props.items.length === 0 ? (
            <div class="empty">
              <h2>{props.search ? "No projects match" : "No projects yet"}</h2>
              {props.canCreate && !props.search && <p>Create a project with a pipeline to get started.</p>}
              {props.canCreate && !props.search && (
                <a class="btn btn-primary" href="/projects/new">
                  New project
                </a>
              )}
            </div>
          ) : (
            <ul class="project-list">
              {props.items.map(({ project, lastPipeline }) => (
                <li>
                  <span class="project-avatar" aria-hidden="true">
                    {project.name.slice(0, 1).toUpperCase()}
                  </span>
                  <div class="grow">
                    <a class="name" href={projectUrl(project)}>
                      <span class="muted">{project.namespace} / </span>
                      {project.name}
                    </a>
                    {project.description && <div class="desc">{project.description}</div>}
                  </div>
                  <div class="side">
                    {lastPipeline && (
                      <StatusBadge status={lastPipeline.status} href={pipelineUrl(project, lastPipeline.id)} />
                    )}
                    <span class="hide-narrow">
                      Updated <TimeAgo at={project.lastActivityAt ?? project.createdAt} />
                    </span>
                  </div>
                </li>
              ))}
            </ul>
          )}
          <Pagination {...props.pageInfo} href={props.href} />
        </div>
      </div>
    </>
  );
}
