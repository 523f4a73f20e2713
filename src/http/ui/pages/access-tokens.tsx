// The user's personal access tokens (GitLab's `/-/user_settings/personal_access_tokens`): create (shown once), revoke.
/** @jsxImportSource hono/jsx */
import type { TokenRow } from "../../../store/rows.ts";
import { ActionButton, Checkbox, CsrfField, Field, type FieldErrors } from "../views/form.tsx";
import { ACTIONS, ListTable } from "../views/list-table.tsx";
import { SecretBox } from "../views/secret-box.tsx";
import { TimeAgo } from "../views/time.tsx";

export const TOKENS_URL = "/-/user_settings/personal_access_tokens";

export interface AccessTokensProps {
  tokens: TokenRow[];
  csrfToken: string;
  values: { name: string; expires_at: string; scopes: string[] };
  errors: FieldErrors;
  newToken?: string;
}

export function AccessTokensPage(props: AccessTokensProps) {
  const { values: v, errors: e } = props;
  return (
    <>
      <nav class="breadcrumbs" aria-label="Breadcrumb">
        <ol>
          <li>User settings</li>
          <li>Access tokens</li>
        </ol>
      </nav>
      <h1>Personal access tokens</h1>
      <p class="muted">
        Tokens authenticate API clients and scripts (<code>PRIVATE-TOKEN</code> header) as you.
      </p>
      {props.newToken && <SecretBox title="Your new personal access token" secret={props.newToken} />}
      <h2>Active tokens</h2>
      {props.tokens.length === 0 ? (
        <p class="muted">You have no active tokens.</p>
      ) : (
        <ListTable columns={["Name", "Scopes", "Created", "Last used", "Expires", ACTIONS]}>
          {props.tokens.map((t) => (
            <tr>
              <td>{t.name}</td>
              <td>
                {t.scopes.map((s) => (
                  <span class="pill">{s}</span>
                ))}
              </td>
              <td>
                <TimeAgo at={t.createdAt} />
              </td>
              <td>{t.lastUsedAt ? <TimeAgo at={t.lastUsedAt} /> : <span class="muted">never</span>}</td>
              <td>{t.expiresAt ?? <span class="muted">never</span>}</td>
              <td class="cell-actions">
                <ActionButton
                  action={`${TOKENS_URL}/${t.id}/revoke`}
                  label="Revoke"
                  small
                  variant="danger"
                  csrfToken={props.csrfToken}
                  confirm={`Revoke the token "${t.name}"? Anything using it stops working.`}
                />
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      <form method="post" action={TOKENS_URL} class="card narrow section-form" novalidate>
        <CsrfField token={props.csrfToken} />
        <h2 class="card-title">Add a personal access token</h2>
        <Field name="name" label="Token name" value={v.name} error={e.name} required maxlength={255} />
        <Field
          name="expires_at"
          label="Expiration date (optional)"
          type="date"
          value={v.expires_at}
          error={e.expires_at}
        />
        <fieldset>
          <legend>Scopes</legend>
          <Checkbox
            name="scopes[]"
            value="api"
            idPrefix="scope-api"
            label="api"
            checked={v.scopes.includes("api")}
            hint="Full read and write access to the API."
          />
          <Checkbox
            name="scopes[]"
            value="read_api"
            idPrefix="scope-read_api"
            label="read_api"
            checked={v.scopes.includes("read_api")}
            hint="Read-only access to the API."
          />
          {e.scopes && <p class="field-error">{e.scopes}</p>}
        </fieldset>
        <button type="submit" class="btn btn-primary">
          Create personal access token
        </button>
      </form>
    </>
  );
}
