// CI/CD settings, "Push events": the forge webhook (URL, secret shown once, per-forge setup) or, for a project hosted
// here, the `git push` remote; plus mirror polling for import_url projects without webhooks.
/** @jsxImportSource hono/jsx */
import type { ProjectRow, WebhookSecretRow } from "../../../store/rows.ts";
import { settingsCiCdUrl } from "../urls.ts";
import { ActionButton, CsrfField, Field, type FieldErrors } from "../views/form.tsx";
import { TimeAgo } from "../views/time.tsx";

export function PushEventsSection(props: {
  project: ProjectRow;
  baseUrl: string;
  secret: WebhookSecretRow | null;
  csrfToken: string;
  pollInterval: string;
  errors: FieldErrors;
}) {
  const p = props.project;
  const base = `${settingsCiCdUrl(p)}/webhook`;
  const hookUrl = `${props.baseUrl}/api/v4/projects/${p.id}/hooks/push`;
  const remote = `${props.baseUrl}/${p.namespace}/${p.path}.git`;
  return (
    <section aria-labelledby="push-title">
      <h2 id="push-title">Push events</h2>
      {p.importUrl ? (
        <>
          <p class="muted">
            Pushes to the forge start pipelines here when the forge sends a webhook. Add one at the forge with this URL
            and the secret below (GitHub and Gitea/Forgejo: content type <code>application/json</code>, the push event;
            GitLab: "Secret token", push and tag push events).
          </p>
          <dl class="kv">
            <dt>Payload URL</dt>
            <dd>
              <code>{hookUrl}</code>
            </dd>
            <dt>Secret</dt>
            <dd>
              {props.secret ? (
                <>
                  set <TimeAgo at={props.secret.createdAt} /> (shown only when made)
                </>
              ) : (
                "none yet"
              )}
            </dd>
          </dl>
          <div class="actions">
            <ActionButton
              action={base}
              label={props.secret ? "Make a new secret" : "Make a secret"}
              variant="primary"
              csrfToken={props.csrfToken}
              confirm={props.secret ? "The old secret stops working at once. Make a new one?" : undefined}
            />
            {props.secret && (
              <ActionButton
                action={`${base}/delete`}
                label="Remove the secret"
                variant="danger"
                csrfToken={props.csrfToken}
                confirm="Webhooks will be refused until a new secret is made. Remove it?"
              />
            )}
          </div>
          <form method="post" action={`${base}/poll`} class="card narrow section-form" novalidate>
            <CsrfField token={props.csrfToken} />
            <Field
              name="mirror_poll_interval"
              label="Poll the repository every (seconds)"
              idPrefix="poll"
              value={props.pollInterval}
              error={props.errors.mirror_poll_interval}
              hint="For forges that cannot send webhooks. Empty: off. 10 to 86400."
            />
            <button type="submit" class="btn">
              Save polling
            </button>
          </form>
        </>
      ) : (
        <>
          <p class="muted">
            This project's repository lives here: a push to it starts the pipeline (Developers push to unprotected
            branches, Maintainers also to protected ones; the password is a personal access token).
          </p>
          <pre class="mono">
            git remote add porthole {remote}
            {"\n"}git push porthole {p.defaultBranch}
          </pre>
        </>
      )}
    </section>
  );
}
