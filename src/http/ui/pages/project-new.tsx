// New project: a name, and where its pipeline comes from — a git repository (import_url) or inline YAML, linted live.
/** @jsxImportSource hono/jsx */
import { LINT_URL } from "../urls.ts";
import { CsrfField, Field, type FieldErrors, TextArea } from "../views/form.tsx";

export interface ProjectNewValues {
  name: string;
  path: string;
  description: string;
  visibility: string;
  /** `push`: the project's repository lives here, filled by `git push`. */
  source: "yaml" | "git" | "push";
  import_url: string;
  default_branch: string;
  ci_config: string;
}

export const EXAMPLE_CI = `stages: [build, test]

build:
  stage: build
  script:
    - echo "Building…"

test:
  stage: test
  script:
    - echo "Testing…"
`;

export function ProjectNewPage(props: {
  csrfToken: string;
  values: ProjectNewValues;
  errors: FieldErrors;
  namespace: string;
}) {
  const v = props.values;
  const e = props.errors;
  return (
    <div class="narrow">
      <nav class="breadcrumbs" aria-label="Breadcrumb">
        <ol>
          <li>
            <a href="/">Projects</a>
          </li>
          <li>New project</li>
        </ol>
      </nav>
      <h1>New project</h1>
      <p class="muted">
        The project lives at <code>{props.namespace}/&lt;path&gt;</code>.
      </p>
      <form method="post" action="/projects" class="card" novalidate>
        <CsrfField token={props.csrfToken} />
        {e.base && (
          <div class="flash flash-alert" role="alert">
            {e.base}
          </div>
        )}
        <Field name="name" label="Project name" value={v.name} error={e.name} required maxlength={255} autofocus />
        <Field
          name="path"
          label="Project slug"
          value={v.path}
          error={e.path}
          maxlength={255}
          hint="Used in URLs. Leave empty to derive it from the name."
        />
        <Field
          name="description"
          label="Description (optional)"
          value={v.description}
          error={e.description}
          maxlength={2000}
        />
        <fieldset>
          <legend>Visibility</legend>
          <div class="radio-row">
            {(["private", "internal", "public"] as const).map((level) => (
              <label>
                <input type="radio" name="visibility" value={level} checked={v.visibility === level} />{" "}
                {level[0]!.toUpperCase() + level.slice(1)}
              </label>
            ))}
          </div>
          {e.visibility && <p class="field-error">{e.visibility}</p>}
        </fieldset>
        <fieldset>
          <legend>Pipeline source</legend>
          <div class="radio-row">
            <label>
              <input type="radio" name="source" value="yaml" checked={v.source === "yaml"} /> Inline{" "}
              <code>.gitlab-ci.yml</code>
            </label>
            <label>
              <input type="radio" name="source" value="git" checked={v.source === "git"} /> Git repository
            </label>
            <label>
              <input type="radio" name="source" value="push" checked={v.source === "push"} /> Push here with{" "}
              <code>git push</code>
            </label>
          </div>
          <p class="field-hint" data-source-for="push">
            The project's repository lives on porthole; each push runs its <code>.gitlab-ci.yml</code>. The remote's
            address is on the project's CI/CD settings page.
          </p>
          <div data-source-for="yaml">
            <TextArea
              name="ci_config"
              label="Pipeline configuration (YAML)"
              value={v.ci_config}
              error={e.ci_config}
              rows={14}
              lintUrl={LINT_URL}
              hint="Used when the source is inline YAML. Checked as you type."
            />
          </div>
          <div data-source-for="git">
            <Field
              name="import_url"
              label="Git repository URL"
              type="text"
              value={v.import_url}
              error={e.import_url}
              placeholder="https://example.com/group/repo.git"
              hint="Used when the source is a git repository; runners clone it."
            />
          </div>
          <Field
            name="default_branch"
            label="Default branch"
            value={v.default_branch}
            error={e.default_branch}
            maxlength={255}
          />
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary">
            Create project
          </button>
          <a class="btn" href="/">
            Cancel
          </a>
        </div>
      </form>
    </div>
  );
}
