// CI/CD settings, Pipeline triggers: tokens that start pipelines through the API (shown once at creation).
/** @jsxImportSource hono/jsx */
import type { ProjectRow, TriggerRow } from "../../../store/rows.ts";
import { settingsCiCdUrl } from "../urls.ts";
import { ActionButton, CsrfField, Field, type FieldErrors } from "../views/form.tsx";
import { ACTIONS, ListTable } from "../views/list-table.tsx";
import { TimeAgo } from "../views/time.tsx";

export interface TriggerListItem {
  trigger: TriggerRow;
  owner: string | null;
}

export function TriggersSection(props: {
  project: ProjectRow;
  triggers: TriggerListItem[];
  csrfToken: string;
  errors: FieldErrors;
  description: string;
}) {
  const base = `${settingsCiCdUrl(props.project)}/triggers`;
  return (
    <section aria-labelledby="triggers-title">
      <h2 id="triggers-title">Pipeline trigger tokens</h2>
      <p class="muted">
        Start this project's pipelines with <code>POST /api/v4/projects/{props.project.id}/trigger/pipeline</code> and a
        token.
      </p>
      {props.triggers.length > 0 && (
        <ListTable columns={["Description", "Token", "Owner", "Created", ACTIONS]}>
          {props.triggers.map(({ trigger, owner }) => (
            <tr>
              <td>{trigger.description || <span class="muted">—</span>}</td>
              <td class="mono">{trigger.tokenPrefix}…</td>
              <td>{owner ?? "—"}</td>
              <td>
                <TimeAgo at={trigger.createdAt} />
              </td>
              <td class="cell-actions">
                <ActionButton
                  action={`${base}/${trigger.id}/delete`}
                  label="Revoke"
                  small
                  variant="danger"
                  csrfToken={props.csrfToken}
                  confirm="Revoke this trigger token? Scripts using it will stop working."
                />
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      <form method="post" action={base} class="card narrow section-form" novalidate>
        <CsrfField token={props.csrfToken} />
        <Field
          name="description"
          label="Trigger description"
          idPrefix="trigger"
          value={props.description}
          error={props.errors.description}
          maxlength={255}
        />
        <button type="submit" class="btn btn-primary">
          Add new token
        </button>
      </form>
    </section>
  );
}
