// The sign-in page (GitLab's `/users/sign_in`): username or email and password.
/** @jsxImportSource hono/jsx */
import { assetUrls } from "../assets.ts";
import { CsrfField, Field } from "../views/form.tsx";

export interface SignInProps {
  csrfToken: string;
  login?: string;
  redirectTo?: string;
  /** Shown under the password field: wrong credentials, or how long to wait. */
  error?: string;
}

export function SignInPage(props: SignInProps) {
  return (
    <div class="auth">
      <div class="brand-big">
        <img src={assetUrls().icon} alt="" width="56" height="56" />
      </div>
      <h1>Sign in to porthole</h1>
      <form method="post" action="/users/sign_in" class="card" novalidate>
        <CsrfField token={props.csrfToken} />
        {props.redirectTo && <input type="hidden" name="redirect_to" value={props.redirectTo} />}
        <Field
          name="user[login]"
          label="Username or primary email"
          value={props.login}
          autocomplete="username"
          required
          autofocus
          error={props.error && !props.login ? "Enter your username or email." : undefined}
        />
        <Field
          name="user[password]"
          label="Password"
          type="password"
          autocomplete="current-password"
          required
          error={props.error}
        />
        <button type="submit" class="btn btn-primary">
          Sign in
        </button>
      </form>
    </div>
  );
}
