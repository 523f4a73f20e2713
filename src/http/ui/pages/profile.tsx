// The user's own profile (`/-/user_settings/profile`): change the password, see tokens and sessions, sign out everywhere.
/** @jsxImportSource hono/jsx */
import type { TokenRow, UserRow, WebSessionRow } from "../../../store/rows.ts";
import { ActionButton, CsrfField, Field, type FieldErrors } from "../views/form.tsx";
import { TimeAgo } from "../views/time.tsx";
import { TOKENS_URL } from "./access-tokens.tsx";

export const PROFILE_URL = "/-/user_settings/profile";
export const PASSWORD_URL = `${PROFILE_URL}/password`;
export const SIGN_OUT_EVERYWHERE_URL = `${PROFILE_URL}/sign_out_everywhere`;

export interface ProfileProps {
  user: UserRow;
  tokens: TokenRow[];
  sessions: WebSessionRow[];
  currentSessionId: number | null;
  csrfToken: string;
  errors: FieldErrors;
}

export function ProfilePage(props: ProfileProps) {
  const { user, errors: e } = props;
  return (
    <>
      <nav class="breadcrumbs" aria-label="Breadcrumb">
        <ol>
          <li>User settings</li>
          <li>Profile</li>
        </ol>
      </nav>
      <h1>Profile</h1>
      <p>
        <strong>{user.name}</strong> <span class="muted">@{user.username}</span> · {user.email}
      </p>
      <form method="post" action={PASSWORD_URL} class="card narrow section-form" novalidate>
        <CsrfField token={props.csrfToken} />
        <h2 class="card-title">Change password</h2>
        <p class="muted">Your other browser sessions are signed out; access tokens keep working.</p>
        {e.base && <p class="field-error">{e.base}</p>}
        <Field
          name="current_password"
          label="Current password"
          type="password"
          autocomplete="current-password"
          error={e.current_password}
          required
        />
        <Field
          name="password"
          label="New password"
          type="password"
          autocomplete="new-password"
          error={e.password}
          required
        />
        <Field
          name="password_confirmation"
          label="Password confirmation"
          type="password"
          autocomplete="new-password"
          error={e.password_confirmation}
          required
        />
        <button type="submit" class="btn btn-primary">
          Save password
        </button>
      </form>
      <h2>Access tokens</h2>
      <p>
        {props.tokens.length === 0
          ? "You have no active personal access tokens."
          : `${props.tokens.length} active personal access token${props.tokens.length === 1 ? "" : "s"}: ${props.tokens.map((t) => t.name).join(", ")}.`}{" "}
        <a href={TOKENS_URL}>Manage access tokens</a>
      </p>
      <h2>Active sessions</h2>
      <div class="table-wrap">
        <table class="list" id="sessions">
          <thead>
            <tr>
              <th scope="col">Browser</th>
              <th scope="col">Address</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {props.sessions.map((s) => (
              <tr>
                <td>
                  {s.userAgent ?? <span class="muted">unknown</span>}
                  {s.id === props.currentSessionId && <span class="pill">this session</span>}
                </td>
                <td>{s.ip ?? <span class="muted">unknown</span>}</td>
                <td>
                  <TimeAgo at={s.createdAt} />
                </td>
                <td>{s.lastSeenAt ? <TimeAgo at={s.lastSeenAt} /> : <span class="muted">never</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ActionButton
        action={SIGN_OUT_EVERYWHERE_URL}
        label="Sign out everywhere"
        variant="danger"
        csrfToken={props.csrfToken}
        confirm="Sign out of every browser, this one too? Open terminals close."
      />
    </>
  );
}
