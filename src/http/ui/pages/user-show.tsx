// A user's profile (GitLab's `/<username>`, the API's `web_url`): name, username, state and the projects in their namespace.
/** @jsxImportSource hono/jsx */
import type { UserRow } from "../../../store/rows.ts";
import type { ProjectListItem } from "../data/projects.ts";
import { pipelineUrl, projectUrl } from "../urls.ts";
import { type PageInfo, Pagination } from "../views/pagination.tsx";
import { StatusBadge } from "../views/status.tsx";
import { TimeAgo } from "../views/time.tsx";

export interface UserShowProps {
  user: UserRow;
  projects: ProjectListItem[];
  pageInfo: PageInfo;
  href: (page: number) => string;
}

export function UserShowPage(props: UserShowProps) {
  const { user } = props;
  return (
    <>
      <div class="page-head user-head">
        <span class="project-avatar" aria-hidden="true">
          {user.name.slice(0, 1).toUpperCase()}
        </span>
        <div class="grow">
          <h1>{user.name}</h1>
          <p class="muted">
            @{user.username} · Member since <TimeAgo at={user.createdAt} />
            {user.admin && " · Administrator"}
            {user.state !== "active" && ` · This user is ${user.state}`}
          </p>
        </div>
      </div>
      <h2>Personal projects</h2>
      {props.projects.length === 0 ? (
        <p class="empty">No projects you can see.</p>
      ) : (
        <ul class="project-list">
          {props.projects.map(({ project, lastPipeline }) => (
            <li>
              <div class="grow">
                <a class="name" href={projectUrl(project)}>
                  {project.name}
                </a>
                {project.description && <div class="desc">{project.description}</div>}
              </div>
              <div class="side">
                {lastPipeline && (
                  <StatusBadge status={lastPipeline.status} href={pipelineUrl(project, lastPipeline.id)} />
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <Pagination {...props.pageInfo} href={props.href} />
    </>
  );
}
