// Maps thrown errors to GitLab's error JSON and status codes; unknown errors become a logged 500, never a crash.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DomainError, type ErrorCode } from "../../domain/errors.ts";
import type { Logger } from "../../logger.ts";
import { ERROR_STATUS } from "../error-status.ts";

/** GitLab's reason phrases, after the status in its messages (`400 Bad request`, `404 Job Not Found`). */
const PHRASE: Record<ErrorCode, string> = {
  bad_request: "Bad request",
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  not_found: "Not Found",
  conflict: "Conflict",
};

/**
 * GitLab's `message` for a DomainError: the field messages; `404 Job Not Found`; `401 Unauthorized`;
 * `403 Forbidden` or `403 Forbidden - <reason>`; otherwise the plain message (as GitLab's `render_api_error!`).
 */
export function gitlabMessage(err: DomainError): string | Record<string, string[]> {
  const { fields, resource, reason } = err.details;
  if (fields) return fields;
  const status = ERROR_STATUS[err.code];
  if (err.code === "not_found") return resource ? `${status} ${resource} Not Found` : `${status} Not Found`;
  if (reason) return `${status} ${PHRASE[err.code]} - ${err.message}`;
  if (err.code === "unauthorized" || err.code === "forbidden") return `${status} ${PHRASE[err.code]}`;
  return err.message;
}

/**
 * A request parameter problem, answered as Grape does: 400 `{"error": "ref is missing"}`.
 * (Model and service errors use DomainError and answer `{"message": ...}`.)
 */
export class ParamsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParamsError";
  }
}

/** The hono onError handler; unexpected errors go to `logger`. */
export const errorHandler =
  (logger: Logger) =>
  (err: Error, c: Context): Response => {
    if (err instanceof DomainError) {
      return c.json({ message: gitlabMessage(err) }, ERROR_STATUS[err.code]);
    }
    if (err instanceof ParamsError) return c.json({ error: err.message }, 400);
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode;
      return c.json({ message: err.message || `${status}` }, status);
    }
    if (err.name === "SQLiteError" && /UNIQUE constraint failed/.test(err.message)) {
      return c.json({ message: "409 Conflict - it already exists" }, 409);
    }
    logger.error("request failed", { method: c.req.method, path: c.req.path, error: err, stack: err.stack });
    return c.json({ message: "500 Internal Server Error" }, 500);
  };

/** hono notFound handler: GitLab's answer for a route that does not exist. */
export function handleNotFound(c: Context): Response {
  return c.json({ error: "404 Not Found" }, 404);
}
