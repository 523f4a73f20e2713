// A project's overview: its pipeline source, latest pipelines, and the status badge to copy.
/** @jsxImportSource hono/jsx */

import type { ProjectRow } from "../../../store/rows.ts";
import type { PipelineListItem } from "../data/pipelines.ts";
import { badgeUrl, liveEventsUrl, newPipelineUrl, pipelinesUrl, pipelineUrl } from "../urls.ts";
import { shortSha } from "../views/format.ts";
import { Icon } from "../views/icons.tsx";
import { ProjectHeader } from "../views/project-header.tsx";
import { StatusBadge } from "../views/status.tsx";
import { TimeAgo } from "../views/time.tsx";

export interface ProjectShowProps {
  project: ProjectRow;
  recent: PipelineListItem[];
  canRun: boolean;
  canAdmin: boolean;
  /** The server's external URL, for the badge snippet. */
  baseUrl: string;
}

export function ProjectShowPage(props: ProjectShowProps) {
  const p = props.project;
  const badge = `${props.baseUrl}${badgeUrl(p, p.defaultBranch)}`;
  const actions = props.canRun && (
    <a class="btn btn-primary" href={newPipelineUrl(p)}>
      <Icon name="play" />
      Run pipeline
    </a>
  );
  return (
    <>
      <ProjectHeader project={p} tab="overview" canAdmin={props.canAdmin} actions={actions} />
      <div class="overview-grid">
        <div>
          {p.description && <p>{p.description}</p>}
          <section class="card" data-live-events={liveEventsUrl({ project: p.id })}>
            <h2 class="card-title">Recent pipelines</h2>
            <div data-live-region="recent">
              {props.recent.length === 0 ? (
                <p class="muted">No pipelines yet.</p>
              ) : (
                <table class="list">
                  <tbody>
                    {props.recent.map(({ pipeline }) => (
                      <tr>
                        <td>
                          <StatusBadge status={pipeline.status} href={pipelineUrl(p, pipeline.id)} />
                        </td>
                        <td>
                          <a href={pipelineUrl(p, pipeline.id)}>#{pipeline.id}</a>
                        </td>
                        <td>
                          <span class="ref">
                            <Icon name="branch" />
                            {pipeline.ref}
                          </span>
                        </td>
                        <td class="mono hide-narrow">{shortSha(pipeline.sha)}</td>
                        <td class="muted">
                          <TimeAgo at={pipeline.createdAt} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
            <p>
              <a href={pipelinesUrl(p)}>All pipelines →</a>
            </p>
          </section>
          <section class="card">
            <h2 class="card-title">Pipeline configuration</h2>
            {p.importUrl ? (
              <dl class="kv">
                <dt>Repository</dt>
                <dd class="mono">{p.importUrl}</dd>
                <dt>CI file</dt>
                <dd class="mono">{p.ciConfigPath}</dd>
              </dl>
            ) : (
              <pre class="config">{p.ciConfig ?? ""}</pre>
            )}
          </section>
        </div>
        <aside>
          <section class="card">
            <h2 class="card-title">Project information</h2>
            <dl class="kv">
              <dt>Path</dt>
              <dd class="mono">
                {p.namespace}/{p.path}
              </dd>
              <dt>Visibility</dt>
              <dd>{p.visibility}</dd>
              <dt>Default branch</dt>
              <dd>
                <span class="ref">
                  <Icon name="branch" />
                  {p.defaultBranch}
                </span>
              </dd>
              <dt>Created</dt>
              <dd>
                <TimeAgo at={p.createdAt} />
              </dd>
            </dl>
          </section>
          <section class="card">
            <h2 class="card-title">Pipeline status badge</h2>
            <p>
              <img src={badgeUrl(p, p.defaultBranch)} alt={`pipeline status for ${p.defaultBranch}`} height="20" />
            </p>
            <div class="field">
              <label for="badge-markdown">Markdown</label>
              <input id="badge-markdown" type="text" readonly value={`![pipeline status](${badge})`} />
            </div>
          </section>
        </aside>
      </div>
    </>
  );
}
