// Renders a page inside the layout, with the signed-in user, CSRF token and any flash message filled in.
/** @jsxImportSource hono/jsx */

import { html } from "hono/html";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { UiContext } from "./env.ts";
import { takeFlash } from "./views/flash.ts";
import { Layout } from "./views/layout.tsx";

export interface PageOptions {
  status?: ContentfulStatusCode;
  bodyClass?: string;
}

export function renderPage(
  c: UiContext,
  title: string,
  body: Child,
  opts: PageOptions = {},
): Response | Promise<Response> {
  const page = (
    <Layout
      title={title}
      actor={c.get("actor")}
      csrfToken={c.get("csrfToken")}
      flash={takeFlash(c)}
      bodyClass={opts.bodyClass}
    >
      {body}
    </Layout>
  );
  c.header("Cache-Control", "no-store");
  return c.html(html`<!doctype html>${page}`, opts.status ?? 200);
}
