// Admin area, Runners: every runner with its state; register a runner (token shown once), pause, resume, remove.
/** @jsxImportSource hono/jsx */
import type { RunnerRow } from "../../../store/rows.ts";
import { runnerEntity } from "../../serializers/credentials.ts";
import { ActionButton, Checkbox, CsrfField, Field, type FieldErrors } from "../views/form.tsx";
import { SecretBox } from "../views/secret-box.tsx";
import { TimeAgo } from "../views/time.tsx";
import { AdminNav } from "./admin-nav.tsx";

export interface AdminRunnersProps {
  runners: RunnerRow[];
  csrfToken: string;
  values: { description: string; tags: string; run_untagged: boolean };
  errors: FieldErrors;
  newToken?: string;
}

export function AdminRunnersPage(props: AdminRunnersProps) {
  const { values: v, errors: e } = props;
  return (
    <>
      <AdminNav tab="runners" title="Runners" />
      {props.newToken && (
        <SecretBox
          title="Runner authentication token"
          secret={props.newToken}
          note="Start the runner with: porthole runner --url <this server> --token <token>. Copy it now: it is shown once."
        />
      )}
      <div class="table-wrap">
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Runner</th>
              <th scope="col">Status</th>
              <th scope="col">Tags</th>
              <th scope="col">Last contact</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.runners.map((r) => (
              <tr>
                <td>
                  #{r.id} {r.description} {r.embedded && <span class="pill pill-blue">embedded</span>}
                </td>
                <td>
                  {r.embedded ? (
                    r.paused ? (
                      <span class="pill">paused</span>
                    ) : (
                      <span class="pill pill-blue">active</span>
                    )
                  ) : (
                    <span class={runnerEntity(r).status === "online" ? "pill pill-blue" : "pill"}>
                      {runnerEntity(r).status.replace("_", " ")}
                    </span>
                  )}
                </td>
                <td>
                  {r.tags.map((t) => (
                    <span class="pill">{t}</span>
                  ))}
                  {r.runUntagged && <span class="muted"> + untagged jobs</span>}
                </td>
                <td>
                  {r.embedded ? "in this server" : <TimeAgo at={r.contactedAt} />}
                  {r.version && (
                    <span class="muted">
                      {" "}
                      · {r.version} {r.platform}/{r.architecture} {r.executorType}
                      {r.ipAddress ? ` from ${r.ipAddress}` : ""}
                    </span>
                  )}
                </td>
                <td class="cell-actions">
                  <ActionButton
                    action={`/admin/runners/${r.id}/${r.paused ? "resume" : "pause"}`}
                    label={r.paused ? "Resume" : "Pause"}
                    small
                    csrfToken={props.csrfToken}
                  />
                  {!r.embedded && (
                    <ActionButton
                      action={`/admin/runners/${r.id}/delete`}
                      label="Remove"
                      small
                      variant="danger"
                      csrfToken={props.csrfToken}
                      confirm={`Remove runner #${r.id}? It can no longer take jobs.`}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form method="post" action="/admin/runners" class="card narrow section-form" novalidate>
        <CsrfField token={props.csrfToken} />
        <h2 class="card-title">New instance runner</h2>
        <Field
          name="description"
          label="Runner description"
          value={v.description}
          error={e.description}
          required
          maxlength={1024}
        />
        <Field
          name="tags"
          label="Tags"
          value={v.tags}
          error={e.tag_list ?? e.tags_list}
          hint="Separate tags with commas, e.g. docker, linux."
        />
        <Checkbox name="run_untagged" label="Run untagged jobs" checked={v.run_untagged} />
        <button type="submit" class="btn btn-primary">
          Create runner
        </button>
      </form>
    </>
  );
}
