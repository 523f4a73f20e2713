// Turns thrown errors into pages: sign-in redirects, 403/404/422 pages, DomainErrors, and a logged 500.
/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import { DomainError } from "../../domain/errors.ts";
import type { UiContext } from "./env.ts";
import { PageError, SignInRequired } from "./page-error.ts";
import { ErrorPage, errorTitle } from "./pages/error-page.tsx";
import { renderPage } from "./render.tsx";

const DOMAIN_STATUS = {
  bad_request: 400,
  unauthorized: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
} as const;

export function handlePageError(err: Error, context: Context): Response | Promise<Response> {
  const c = context as UiContext;
  if (err instanceof SignInRequired) {
    const target = new URL(c.req.url);
    return c.redirect(`/users/sign_in?redirect_to=${encodeURIComponent(target.pathname + target.search)}`, 302);
  }
  let status: 400 | 403 | 404 | 409 | 422 | 500 = 500;
  let message = "The server could not show this page. The error was logged.";
  if (err instanceof PageError) [status, message] = [err.status, err.message];
  else if (err instanceof DomainError)
    [status, message] = [DOMAIN_STATUS[err.code], err.message.replace(/^\d{3} /, "")];
  else console.error(`${c.req.method} ${c.req.path} failed:`, err);
  if (!c.get("deps")) return c.text(`${status} ${message}`, status);
  return renderPage(c, errorTitle(status), <ErrorPage status={status} message={message} />, { status });
}
