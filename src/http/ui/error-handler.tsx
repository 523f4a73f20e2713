// Turns thrown errors into pages: sign-in redirects, a status page for each DomainError, and a logged 500.
/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DomainError } from "../../domain/errors.ts";
import type { Logger } from "../../logger.ts";
import { ERROR_STATUS } from "../error-status.ts";
import type { UiContext } from "./env.ts";
import { SignInRequired } from "./page-error.ts";
import { ErrorPage, errorTitle } from "./pages/error-page.tsx";
import { renderPage } from "./render.tsx";

/** The pages' onError handler; unexpected errors go to `logger`. */
export const pageErrorHandler =
  (logger: Logger) =>
  (err: Error, context: Context): Response | Promise<Response> => {
    const c = context as UiContext;
    if (err instanceof SignInRequired || (err instanceof DomainError && err.code === "unauthorized")) {
      const target = new URL(c.req.url);
      return c.redirect(`/users/sign_in?redirect_to=${encodeURIComponent(target.pathname + target.search)}`, 302);
    }
    let status: ContentfulStatusCode = 500;
    let message = "The server could not show this page. The error was logged.";
    if (err instanceof DomainError) [status, message] = [ERROR_STATUS[err.code], err.message];
    else logger.error("page failed", { method: c.req.method, path: c.req.path, error: err, stack: err.stack });
    if (!c.get("deps")) return c.text(`${status} ${message}`, status);
    return renderPage(c, errorTitle(status), <ErrorPage status={status} message={message} />, { status });
  };
