// The Environments page (GitLab's `…/-/environments`): each environment's state, URL, last deployment (its job and
// commit) and a Stop button that runs the environment's on_stop job.
/** @jsxImportSource hono/jsx */
import type { DeploymentRow, EnvironmentRow, JobRow, PipelineRow, ProjectRow } from "../../../store/rows.ts";
import { environmentsUrl, jobUrl, pipelineUrl } from "../urls.ts";
import { ActionButton } from "../views/form.tsx";
import { ProjectHeader } from "../views/project-header.tsx";
import { StatusBadge } from "../views/status.tsx";
import { TimeAgo } from "../views/time.tsx";

export interface EnvironmentListItem {
  environment: EnvironmentRow;
  /** The last successful deployment, its job and pipeline. */
  last: { deployment: DeploymentRow; job: JobRow | null; pipeline: PipelineRow | null } | null;
  /** The job Stop runs (the last deployment's on_stop), when there is one. */
  stopJob: JobRow | null;
}

export function EnvironmentsPage(props: {
  project: ProjectRow;
  canAdmin: boolean;
  canStop: boolean;
  csrfToken: string;
  environments: EnvironmentListItem[];
}) {
  const p = props.project;
  return (
    <>
      <ProjectHeader
        project={p}
        tab="environments"
        canAdmin={props.canAdmin}
        trail={[{ label: "Environments" }]}
        title="Environments"
      />
      {props.environments.length === 0 ? (
        <p class="muted">
          No environments yet. A job with <code>environment:</code> in its <code>.gitlab-ci.yml</code> makes one when
          its pipeline runs.
        </p>
      ) : (
        <div class="table-wrap">
          <table class="list">
            <thead>
              <tr>
                <th scope="col">Environment</th>
                <th scope="col">State</th>
                <th scope="col">Last deployment</th>
                <th scope="col">Job</th>
                <th scope="col">Commit</th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.environments.map(({ environment: e, last, stopJob }) => (
                <tr data-environment={e.name}>
                  <td>
                    <strong>{e.name}</strong> <span class="muted">{e.tier}</span>
                    {e.externalUrl && isWebUrl(e.externalUrl) && (
                      <div>
                        <a href={e.externalUrl} rel="noopener noreferrer" target="_blank">
                          {e.externalUrl}
                        </a>
                      </div>
                    )}
                  </td>
                  <td>
                    {e.state}
                    {e.autoStopAt && e.state === "available" && (
                      <div class="muted">
                        stops <TimeAgo at={e.autoStopAt} />
                      </div>
                    )}
                  </td>
                  <td>
                    {last ? (
                      <>
                        #{last.deployment.iid} <StatusBadge status="success" />
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>{last?.job ? <a href={jobUrl(p, last.job.id)}>{`${last.job.name} #${last.job.id}`}</a> : "—"}</td>
                  <td>
                    {last?.pipeline ? (
                      <>
                        <a class="mono" href={pipelineUrl(p, last.pipeline.id)}>
                          {last.deployment.sha.slice(0, 8)}
                        </a>{" "}
                        <span class="muted">{last.deployment.ref}</span>
                        {last.pipeline.commit?.title && <div class="muted">{last.pipeline.commit.title}</div>}
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>
                    <TimeAgo at={last?.deployment.finishedAt ?? e.updatedAt ?? e.createdAt} />
                  </td>
                  <td class="cell-actions">
                    {props.canStop && e.state === "available" && (
                      <ActionButton
                        action={`${environmentsUrl(p)}/${e.id}/stop`}
                        label="Stop"
                        small
                        variant="danger"
                        csrfToken={props.csrfToken}
                        title={stopJob ? `Stop ${e.name} (runs ${stopJob.name})` : `Stop ${e.name}`}
                        confirm={`Stop ${e.name}?`}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** Only http(s) URLs become links (an `environment:url` is the CI file's word, not ours to trust as a scheme). */
function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}
