// Run pipeline: choose the branch or tag and add variables for this run (GitLab's `…/-/pipelines/new`).
/** @jsxImportSource hono/jsx */
import type { ProjectRow } from "../../../store/rows.ts";
import { pipelinesUrl } from "../urls.ts";
import { CsrfField, Field, type FieldErrors } from "../views/form.tsx";
import { ProjectHeader } from "../views/project-header.tsx";

/** Key/value rows the form offers without JavaScript. */
export const NEW_PIPELINE_VARIABLE_ROWS = 5;

export interface PipelineNewProps {
  project: ProjectRow;
  csrfToken: string;
  canAdmin: boolean;
  refs: string[];
  values: { ref: string; variables: { key: string; value: string }[] };
  errors: FieldErrors;
}

export function PipelineNewPage(props: PipelineNewProps) {
  const { project, values, errors } = props;
  return (
    <>
      <ProjectHeader
        project={project}
        tab="pipelines"
        canAdmin={props.canAdmin}
        trail={[{ label: "Pipelines", href: pipelinesUrl(project) }, { label: "Run pipeline" }]}
        title="Run pipeline"
      />
      <form method="post" action={pipelinesUrl(project)} class="card narrow" novalidate>
        <CsrfField token={props.csrfToken} />
        {errors.base && (
          <div class="flash flash-alert" role="alert">
            {errors.base}
          </div>
        )}
        <Field
          name="ref"
          label="Run for branch name or tag"
          value={values.ref}
          error={errors.ref}
          required
          list="known-refs"
        />
        <datalist id="known-refs">
          {props.refs.map((r) => (
            <option value={r} />
          ))}
        </datalist>
        <fieldset>
          <legend>Variables</legend>
          <p class="field-hint">Variables for this run only; they override project and YAML variables.</p>
          <div class="var-rows">
            {Array.from({ length: NEW_PIPELINE_VARIABLE_ROWS }, (_, i) => (
              <div class="var-row">
                <Field
                  name={`variables[${i}][key]`}
                  label={`Variable ${i + 1} key`}
                  value={values.variables[i]?.key}
                  error={errors[`variables[${i}][key]`]}
                />
                <Field
                  name={`variables[${i}][value]`}
                  label={`Variable ${i + 1} value`}
                  value={values.variables[i]?.value}
                />
              </div>
            ))}
          </div>
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary">
            Run pipeline
          </button>
          <a class="btn" href={pipelinesUrl(project)}>
            Cancel
          </a>
        </div>
      </form>
    </>
  );
}
