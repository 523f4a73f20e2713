// CI/CD settings, Variables: the list (masked values are never sent back), add, edit and remove.
/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import type { ProjectRow, VariableRow } from "../../../store/rows.ts";
import { settingsCiCdUrl } from "../urls.ts";
import { ActionButton, Checkbox, CsrfField, Field, type FieldErrors, TextArea } from "../views/form.tsx";
import { ACTIONS, ListTable } from "../views/list-table.tsx";

export interface VariableFormValues {
  key: string;
  value: string;
  masked: boolean;
  protected: boolean;
  raw: boolean;
}

export const emptyVariable = (): VariableFormValues => ({
  key: "",
  value: "",
  masked: false,
  protected: false,
  raw: false,
});

/** The form for a new variable, or for changing `editing` (a masked value is left blank: blank keeps it). */
export function VariableForm(props: {
  project: ProjectRow;
  csrfToken: string;
  values: VariableFormValues;
  errors: FieldErrors;
  editing?: VariableRow;
}) {
  const { values: v, errors: e, editing } = props;
  const base = `${settingsCiCdUrl(props.project)}/variables`;
  const prefix = editing ? `var-${editing.id}` : "var-new";
  return (
    <form
      method="post"
      action={editing ? `${base}/${editing.id}` : base}
      class="card"
      novalidate
      id={editing ? `edit-variable-${editing.id}` : "add-variable"}
    >
      <CsrfField token={props.csrfToken} />
      <h3 class="card-title">{editing ? `Edit variable ${editing.key}` : "Add variable"}</h3>
      {e.base && <p class="field-error">{e.base}</p>}
      <Field name="key" label="Key" idPrefix={prefix} value={v.key} error={e.key} required maxlength={255} />
      <TextArea
        name="value"
        label="Value"
        idPrefix={prefix}
        value={editing?.masked ? "" : v.value}
        error={e.value}
        rows={3}
        hint={editing?.masked ? "The value is masked and never shown again. Leave empty to keep it." : undefined}
      />
      <Checkbox
        name="masked"
        label="Mask variable"
        idPrefix={prefix}
        checked={v.masked}
        hint="Hidden in job logs; it must be one line of 8 or more characters from A–Z a–z 0–9 + / = @ : . ~ - _"
      />
      <Checkbox
        name="protected"
        label="Protect variable"
        idPrefix={prefix}
        checked={v.protected}
        hint="Only for protected branches and tags."
      />
      <Checkbox
        name="raw"
        label="Do not expand variable references"
        idPrefix={prefix}
        checked={v.raw}
        hint="`$` in the value is kept as it is."
      />
      <div class="form-actions">
        <button type="submit" class="btn btn-primary">
          {editing ? "Save variable" : "Add variable"}
        </button>
      </div>
    </form>
  );
}

export function VariablesSection(props: {
  project: ProjectRow;
  variables: VariableRow[];
  csrfToken: string;
  form: Child;
}) {
  const base = `${settingsCiCdUrl(props.project)}/variables`;
  return (
    <section aria-labelledby="variables-title">
      <h2 id="variables-title">Variables</h2>
      <p class="muted">Variables are passed to every job of every pipeline of this project.</p>
      {props.variables.length > 0 && (
        <ListTable columns={["Key", "Value", "Options", ACTIONS]}>
          {props.variables.map((v) => (
            <tr>
              <td class="mono">{v.key}</td>
              <td class="mono">
                {v.masked ? (
                  <span class="muted" role="img" aria-label="masked value">
                    ••••••••
                  </span>
                ) : (
                  <span>{v.value.length > 60 ? `${v.value.slice(0, 60)}…` : v.value}</span>
                )}
              </td>
              <td>
                {v.masked && <span class="pill">masked</span>} {v.protected && <span class="pill">protected</span>}{" "}
                {v.raw && <span class="pill">raw</span>}
              </td>
              <td class="cell-actions">
                <a class="btn btn-sm" href={`${base}/${v.id}/edit`}>
                  Edit
                </a>
                <ActionButton
                  action={`${base}/${v.id}/delete`}
                  label="Remove"
                  small
                  variant="danger"
                  csrfToken={props.csrfToken}
                  confirm={`Remove the variable ${v.key}?`}
                />
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      <div class="narrow section-form">{props.form}</div>
    </section>
  );
}
