// The project's pipelines, like GitLab's list: status, id, ref, commit, source, who, stages, duration, when.
/** @jsxImportSource hono/jsx */

import type { ProjectRow } from "../../../store/rows.ts";
import type { PipelineFilters, PipelineListItem } from "../data/pipelines.ts";
import { liveEventsUrl, newPipelineUrl, pipelineUrl, schedulesUrl, userUrl } from "../urls.ts";
import { ActionButton, Field, Select } from "../views/form.tsx";
import { clockDuration, secondsBetween, shortSha } from "../views/format.ts";
import { Icon } from "../views/icons.tsx";
import { ACTIONS, ListTable } from "../views/list-table.tsx";
import { type PageInfo, Pagination } from "../views/pagination.tsx";
import { ProjectHeader } from "../views/project-header.tsx";
import { StatusBadge, StatusIcon, statusLabel } from "../views/status.tsx";
import { TimeAgo } from "../views/time.tsx";

export interface PipelinesIndexProps {
  project: ProjectRow;
  items: PipelineListItem[];
  filters: PipelineFilters;
  refs: string[];
  pageInfo: PageInfo;
  href: (page: number) => string;
  canRun: boolean;
  canUpdate: boolean;
  canAdmin: boolean;
  csrfToken: string;
}

const STATUS_OPTIONS = ["running", "pending", "success", "failed", "canceled", "skipped", "manual", "created"] as const;

function Row(props: { item: PipelineListItem; project: ProjectRow; canUpdate: boolean; csrfToken: string }) {
  const { pipeline: p, user, stages } = props.item;
  const url = pipelineUrl(props.project, p.id);
  const running = p.startedAt && !p.finishedAt;
  return (
    <tr>
      <td>
        <div class="cell-stack">
          <StatusBadge status={p.status} href={url} />
          {p.startedAt && (
            <span class="meta">
              <Icon name="clock" />
              {running ? (
                <span data-elapsed-since={p.startedAt.toISOString()}>
                  {clockDuration(secondsBetween(p.startedAt, null))}
                </span>
              ) : (
                clockDuration(secondsBetween(p.startedAt, p.finishedAt))
              )}
            </span>
          )}
          <span class="meta">
            <Icon name="calendar" />
            <TimeAgo at={p.finishedAt ?? p.createdAt} />
          </span>
        </div>
      </td>
      <td>
        <div class="cell-stack">
          <a href={url}>#{p.id}</a>
          {(p.name ?? p.commit?.title) && <span>{p.name ?? p.commit?.title}</span>}
          <span>
            <span class="ref">
              <Icon name="branch" />
              {p.ref}
            </span>{" "}
            <span class="meta">
              <Icon name="commit" />
              <span class="mono">{shortSha(p.sha)}</span>
            </span>
          </span>
          <span>
            <span class="pill">{p.source}</span>
            {p.tag && <span class="pill">tag</span>}
          </span>
        </div>
      </td>
      <td class="hide-narrow">
        {user ? (
          <span class="meta">
            <Icon name="user" />
            <a href={userUrl(user.username)}>{user.username}</a>
          </span>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
      <td class="hide-narrow">
        <span class="stages">
          {stages.map((s) => (
            <span title={`${s.name}: ${statusLabel(s.status)}`}>
              <StatusIcon status={s.status} />
              <span class="visually-hidden">
                {s.name}: {statusLabel(s.status)}
              </span>
            </span>
          ))}
        </span>
      </td>
      <td class="cell-actions">
        {props.canUpdate && p.status !== "success" && ["failed", "canceled"].includes(p.status) && (
          <ActionButton
            action={`${url}/retry`}
            label=""
            title={`Retry pipeline #${p.id}`}
            icon={<Icon name="retry" />}
            small
            csrfToken={props.csrfToken}
          />
        )}
        {props.canUpdate && ["running", "pending", "created", "scheduled"].includes(p.status) && (
          <ActionButton
            action={`${url}/cancel`}
            label=""
            title={`Cancel pipeline #${p.id}`}
            icon={<Icon name="cancel" />}
            small
            variant="danger"
            csrfToken={props.csrfToken}
          />
        )}
      </td>
    </tr>
  );
}

export function PipelinesIndexPage(props: PipelinesIndexProps) {
  const { project } = props;
  const actions = (
    <>
      <a class="btn" href={schedulesUrl(project)}>
        Schedules
      </a>
      {props.canRun && (
        <a class="btn btn-primary" href={newPipelineUrl(project)}>
          <Icon name="play" />
          Run pipeline
        </a>
      )}
    </>
  );
  return (
    <div data-live-events={liveEventsUrl({ project: project.id })}>
      <ProjectHeader
        project={project}
        tab="pipelines"
        canAdmin={props.canAdmin}
        actions={actions}
        trail={[{ label: "Pipelines" }]}
        title="Pipelines"
      />
      <form method="get" class="filters" role="search" aria-label="Filter pipelines">
        <Select
          name="status"
          label="Status"
          value={props.filters.status ?? ""}
          options={[
            { value: "", label: "Any status" },
            ...STATUS_OPTIONS.map((s) => ({ value: s, label: statusLabel(s) })),
          ]}
        />
        <Field name="ref" label="Branch or tag" value={props.filters.ref ?? ""} list="known-refs" />
        <datalist id="known-refs">
          {props.refs.map((r) => (
            <option value={r} />
          ))}
        </datalist>
        <button type="submit" class="btn">
          Filter
        </button>
        {(props.filters.status || props.filters.ref) && (
          <a class="btn btn-quiet" href="?">
            Clear
          </a>
        )}
      </form>
      <div data-live-region="pipelines">
        {props.items.length === 0 ? (
          <div class="empty">
            <h2>
              {props.filters.status || props.filters.ref ? "No pipelines match these filters" : "No pipelines yet"}
            </h2>
            {props.canRun && (
              <a class="btn btn-primary" href={newPipelineUrl(project)}>
                Run pipeline
              </a>
            )}
          </div>
        ) : (
          <ListTable
            columns={[
              "Status",
              "Pipeline",
              { label: "Created by", class: "hide-narrow" },
              { label: "Stages", class: "hide-narrow" },
              ACTIONS,
            ]}
          >
            {props.items.map((item) => (
              <Row item={item} project={project} canUpdate={props.canUpdate} csrfToken={props.csrfToken} />
            ))}
          </ListTable>
        )}
        <Pagination {...props.pageInfo} href={props.href} />
      </div>
    </div>
  );
}
