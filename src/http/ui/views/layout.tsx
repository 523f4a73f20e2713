// The page shell: head (bundled CSS and script), the top bar with the user, projects and admin, flash, main.
/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import type { Actor } from "../../../auth/actor.ts";
import { assetUrls } from "../assets.ts";
import type { Flash } from "./flash.ts";
import { CsrfField } from "./form.tsx";

export interface LayoutProps {
  title: string;
  actor: Actor | null;
  csrfToken: string;
  flash?: Flash | null;
  /** Extra class on <body>, e.g. `page-job` for the wide log layout. */
  bodyClass?: string;
  children?: Child;
}

function UserMenu(props: { actor: Actor | null; csrfToken: string }) {
  if (!props.actor)
    return (
      <a class="btn btn-sm" href="/users/sign_in">
        Sign in
      </a>
    );
  const u = props.actor.user;
  return (
    <div class="user-menu">
      <a class="user-link" href="/-/user_settings/profile" title="Profile, password and sessions">
        <span class="avatar" aria-hidden="true">
          {u.username.slice(0, 1).toUpperCase()}
        </span>
        <span class="user-name">{u.username}</span>
      </a>
      <form method="post" action="/users/sign_out" class="inline-form">
        <CsrfField token={props.csrfToken} />
        <button type="submit" class="btn btn-sm btn-quiet">
          Sign out
        </button>
      </form>
    </div>
  );
}

export function Layout(props: LayoutProps) {
  const assets = assetUrls();
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · porthole`}</title>
        <link rel="stylesheet" href={assets.css} />
        <link rel="icon" href={assets.icon} type="image/svg+xml" />
        <script type="module" src={assets.js}></script>
      </head>
      <body class={props.bodyClass}>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="topbar">
          <a class="brand" href="/">
            <img src={assets.icon} alt="" width="22" height="22" />
            <span>porthole</span>
          </a>
          <nav class="topnav" aria-label="Main">
            <a href="/">Projects</a>
            {props.actor?.user.admin && <a href="/admin">Admin</a>}
          </nav>
          <UserMenu actor={props.actor} csrfToken={props.csrfToken} />
        </header>
        <main id="main" tabindex={-1}>
          {props.flash && (
            <div class={`flash flash-${props.flash.kind}`} role={props.flash.kind === "alert" ? "alert" : "status"}>
              {props.flash.message}
            </div>
          )}
          {props.children}
        </main>
      </body>
    </html>
  );
}
