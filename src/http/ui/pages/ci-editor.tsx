// The pipeline editor (GitLab's `…/-/ci/editor`): CI lint as you type with errors by line and column, the merged
// YAML, and Run pipeline for a ref with variables. Without JavaScript the form posts the text to be linted.
/** @jsxImportSource hono/jsx */
import type { LintResult } from "../../../pipeline/types.ts";
import type { ProjectRow } from "../../../store/rows.ts";
import { ciEditorUrl, LINT_URL, pipelinesUrl } from "../urls.ts";
import { CsrfField, Field } from "../views/form.tsx";
import { ProjectHeader } from "../views/project-header.tsx";
import { NEW_PIPELINE_VARIABLE_ROWS } from "./pipeline-new.tsx";

export interface CiEditorProps {
  project: ProjectRow;
  csrfToken: string;
  canAdmin: boolean;
  canRun: boolean;
  /** An inline-YAML project and a Maintainer: Save makes the text its configuration (GitLab's "Commit changes"). */
  canSave: boolean;
  /** The text in the editor: the posted text, else the project's configuration for its default branch. */
  content: string;
  /** Where the text came from, said above the editor. */
  source: string;
  /** The lint of `content` when the form was posted (no JavaScript), else null (the script lints as you type). */
  lint: LintResult | null;
  refs: string[];
}

/** `(line L, column C)` at the end of an error in the main file: where the editor puts its marker. */
export const ERROR_POSITION = /\(line (\d+), column (\d+)\)$/;

function LintMessages(props: { lint: LintResult | null }) {
  const { lint } = props;
  if (!lint) return <p class="muted">Checked as you type with the same engine as CI lint.</p>;
  if (lint.valid) return <p class="lint-ok">✓ This CI configuration is valid.</p>;
  return (
    <ul class="lint-errors">
      {lint.errors.map((e) => {
        const at = e.match(ERROR_POSITION);
        return <li data-line={at?.[1]}>{e}</li>;
      })}
    </ul>
  );
}

export function CiEditorPage(props: CiEditorProps) {
  const { project } = props;
  const lines = Math.max(1, props.content.split("\n").length);
  const errorLines = new Set(
    (props.lint?.errors ?? []).map((e) => Number(e.match(ERROR_POSITION)?.[1] ?? 0)).filter((n) => n > 0),
  );
  return (
    <>
      <ProjectHeader project={project} tab="editor" canAdmin={props.canAdmin} title="Pipeline editor" />
      <div class="ci-editor" data-ci-editor data-lint-url={`${LINT_URL}?project_id=${project.id}`}>
        <form method="post" action={ciEditorUrl(project)} class="card" novalidate>
          <CsrfField token={props.csrfToken} />
          <p class="muted">{props.source}</p>
          <div class="editor-frame">
            <pre class="editor-gutter" aria-hidden="true" data-editor-gutter>
              {Array.from({ length: lines }, (_, i) => (
                <span class={errorLines.has(i + 1) ? "gutter-error" : undefined}>{`${i + 1}\n`}</span>
              ))}
            </pre>
            <textarea
              id="ci-editor-text"
              name="content"
              class="editor-text"
              rows={Math.min(Math.max(lines + 2, 12), 40)}
              wrap="off"
              spellcheck={false}
              aria-label="CI/CD configuration (YAML)"
              aria-describedby="ci-editor-status"
              data-editor-text
            >
              {props.content}
            </textarea>
          </div>
          <div id="ci-editor-status" class="lint-panel" role="status" aria-live="polite" data-editor-status>
            <LintMessages lint={props.lint} />
          </div>
          <div class="form-actions">
            <button type="submit" class="btn">
              Validate
            </button>
            {props.canSave && (
              <button type="submit" class="btn btn-primary" formaction={`${ciEditorUrl(project)}/save`}>
                Save configuration
              </button>
            )}
          </div>
        </form>
        <details class="card merged-yaml">
          <summary>Full configuration (merged YAML)</summary>
          <pre data-editor-merged>{props.lint?.merged_yaml ?? ""}</pre>
        </details>
        {props.canRun && <RunForm {...props} />}
      </div>
    </>
  );
}

function RunForm(props: CiEditorProps) {
  const { project } = props;
  return (
    <form method="post" action={pipelinesUrl(project)} class="card narrow" novalidate aria-labelledby="run-title">
      <h2 id="run-title">Run pipeline</h2>
      <p class="field-hint">
        {project.ciConfig === null
          ? "Runs the CI file committed on the ref, as GitLab does: the text above is only checked here, never run. Commit and push it to run it."
          : "Runs the project's saved configuration: save the text above first to run your changes."}
      </p>
      <CsrfField token={props.csrfToken} />
      <Field name="ref" label="Run for branch name or tag" value={project.defaultBranch} required list="editor-refs" />
      <datalist id="editor-refs">
        {props.refs.map((r) => (
          <option value={r} />
        ))}
      </datalist>
      <fieldset>
        <legend>Variables</legend>
        <div class="var-rows">
          {Array.from({ length: NEW_PIPELINE_VARIABLE_ROWS }, (_, i) => (
            <div class="var-row">
              <Field name={`variables[${i}][key]`} label={`Variable ${i + 1} key`} />
              <Field name={`variables[${i}][value]`} label={`Variable ${i + 1} value`} />
            </div>
          ))}
        </div>
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary">
          Run pipeline
        </button>
      </div>
    </form>
  );
}
