// A project's CI/CD settings (GitLab's `…/-/settings/ci_cd`): pipeline source, variables, trigger tokens, runners.
/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import type { ProjectRow, RunnerRow } from "../../../store/rows.ts";
import { LINT_URL, settingsCiCdUrl } from "../urls.ts";
import { CsrfField, Field, type FieldErrors, TextArea } from "../views/form.tsx";
import { ProjectHeader } from "../views/project-header.tsx";
import { SecretBox } from "../views/secret-box.tsx";
import { TimeAgo } from "../views/time.tsx";

export interface SourceValues {
  ci_config: string;
  import_url: string;
  ci_config_path: string;
  default_branch: string;
}

export function SourceSection(props: {
  project: ProjectRow;
  csrfToken: string;
  values: SourceValues;
  errors: FieldErrors;
}) {
  const { values: v, errors: e, project } = props;
  return (
    <section aria-labelledby="source-title">
      <h2 id="source-title">Pipeline source</h2>
      <form method="post" action={`${settingsCiCdUrl(project)}/source`} class="card narrow" novalidate>
        <CsrfField token={props.csrfToken} />
        {project.importUrl ? (
          <>
            <Field name="import_url" label="Git repository URL" value={v.import_url} error={e.import_url} required />
            <Field
              name="ci_config_path"
              label="CI/CD configuration file"
              value={v.ci_config_path}
              error={e.ci_config_path}
            />
          </>
        ) : (
          <TextArea
            name="ci_config"
            label="Pipeline configuration (YAML)"
            value={v.ci_config}
            error={e.ci_config}
            rows={16}
            lintUrl={`${LINT_URL}?project_id=${project.id}`}
            hint="Checked as you type; saved only when valid."
          />
        )}
        <Field name="default_branch" label="Default branch" value={v.default_branch} error={e.default_branch} />
        <button type="submit" class="btn btn-primary">
          Save changes
        </button>
      </form>
    </section>
  );
}

/** GitLab's "Clear runner caches": later jobs use new cache keys; the old caches are never read again. */
export function CachesSection(props: { project: ProjectRow; csrfToken: string }) {
  return (
    <section aria-labelledby="caches-title">
      <h2 id="caches-title">Runner caches</h2>
      <form method="post" action={`${settingsCiCdUrl(props.project)}/reset_cache`} class="card narrow">
        <CsrfField token={props.csrfToken} />
        <p class="muted">
          Jobs after this use new cache keys (ending in <code>-{props.project.jobsCacheIndex + 1}</code>), so no cache
          saved before is restored again.
        </p>
        <button type="submit" class="btn">
          Clear runner caches
        </button>
      </form>
    </section>
  );
}

export function RunnersSection(props: { runners: RunnerRow[] }) {
  const online = (r: RunnerRow) =>
    r.embedded || (r.contactedAt !== null && Date.now() - r.contactedAt.getTime() < 2 * 3600_000);
  return (
    <section aria-labelledby="runners-title">
      <h2 id="runners-title">Runners</h2>
      <p class="muted">Instance runners available to this project. Administrators add runners in the Admin area.</p>
      <div class="table-wrap">
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Runner</th>
              <th scope="col">Status</th>
              <th scope="col">Tags</th>
              <th scope="col">Last contact</th>
            </tr>
          </thead>
          <tbody>
            {props.runners.map((r) => (
              <tr>
                <td>
                  #{r.id} {r.description} {r.embedded && <span class="pill pill-blue">embedded</span>}
                </td>
                <td>
                  {r.paused ? (
                    <span class="pill">paused</span>
                  ) : online(r) ? (
                    <span class="pill pill-blue">online</span>
                  ) : (
                    <span class="pill">offline</span>
                  )}
                </td>
                <td>
                  {r.tags.length ? (
                    r.tags.map((t) => <span class="pill">{t}</span>)
                  ) : (
                    <span class="muted">runs untagged jobs</span>
                  )}
                </td>
                <td>{r.embedded ? "in this server" : <TimeAgo at={r.contactedAt} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export interface SettingsPageProps {
  project: ProjectRow;
  /** A token created just now, shown once. */
  newSecret?: { title: string; value: string };
  children: Child;
}

export function SettingsCiCdPage(props: SettingsPageProps) {
  return (
    <>
      <ProjectHeader
        project={props.project}
        tab="settings"
        canAdmin
        trail={[{ label: "Settings" }, { label: "CI/CD" }]}
        title="CI/CD settings"
      />
      {props.newSecret && <SecretBox title={props.newSecret.title} secret={props.newSecret.value} />}
      <div class="settings-sections">{props.children}</div>
    </>
  );
}
