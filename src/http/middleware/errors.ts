// Maps thrown errors to GitLab's error JSON and status codes; unknown errors become a logged 500, never a crash.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DomainError, type ErrorCode } from "../../domain/errors.ts";

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
};

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

export const unauthorized = () => new DomainError("unauthorized", "401 Unauthorized");
export const forbidden = (why?: string) =>
  new DomainError("forbidden", why ? `403 Forbidden - ${why}` : "403 Forbidden");

/** hono onError handler. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof DomainError) {
    return c.json({ message: err.fields ?? err.message }, STATUS[err.code]);
  }
  if (err instanceof ParamsError) return c.json({ error: err.message }, 400);
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return c.json({ message: err.message || `${status}` }, status);
  }
  if (err.name === "SQLiteError" && /UNIQUE constraint failed/.test(err.message)) {
    return c.json({ message: "409 Conflict - it already exists" }, 409);
  }
  console.error(`${c.req.method} ${c.req.path} failed:`, err);
  return c.json({ message: "500 Internal Server Error" }, 500);
}

/** hono notFound handler: GitLab's answer for a route that does not exist. */
export function handleNotFound(c: Context): Response {
  return c.json({ error: "404 Not Found" }, 404);
}
