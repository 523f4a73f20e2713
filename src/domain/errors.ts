// Typed errors that services throw; http/ maps each code to a status and GitLab's error JSON.

export type ErrorCode = "bad_request" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "unprocessable";

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Field-level details (GitLab's `{"message": {"field": ["is invalid"]}}`). */
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("not_found", `404 ${what} Not Found`);
export const badRequest = (message: string, fields?: Record<string, string[]>) =>
  new DomainError("bad_request", message, fields);
export const conflict = (message: string) => new DomainError("conflict", message);
