// Typed errors that services throw: a code, a plain message for people, optional details; http/ picks the status.

export type ErrorCode = "bad_request" | "unauthorized" | "forbidden" | "not_found" | "conflict";

export interface ErrorDetails {
  /** Per-field messages (`{ name: ["has already been taken"] }`), shown beside form fields and answered as is. */
  fields?: Record<string, string[]>;
  /** What does not exist (or may not be seen), e.g. "Job"; the API names it (`404 Job Not Found`). */
  resource?: string;
  /** The message is the reason for a refusal; the API appends it to the status (`403 Forbidden - <reason>`). */
  reason?: boolean;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = "DomainError";
  }

  get fields(): Record<string, string[]> | undefined {
    return this.details.fields;
  }
}

/** One sentence for per-field messages: `username is too short; email is invalid` (`base` messages stand alone). */
export function describeFields(fields: Record<string, string[]>): string {
  return Object.entries(fields)
    .flatMap(([field, messages]) => messages.map((m) => (field === "base" ? m : `${field} ${m}`)))
    .join("; ");
}

export const notFound = (resource: string) => new DomainError("not_found", `${resource} not found`, { resource });
export const badRequest = (message: string, fields?: Record<string, string[]>) =>
  new DomainError("bad_request", message, fields ? { fields } : {});
/** Input that fails validation, field by field. */
export const invalid = (fields: Record<string, string[]>) => badRequest(describeFields(fields), fields);
/** A refused request whose reason the API states (`400 Bad request - <reason>`). */
export const refused = (reason: string) => new DomainError("bad_request", reason, { reason: true });
export const conflict = (message: string) => new DomainError("conflict", message);
export const unauthorized = () => new DomainError("unauthorized", "Sign in, or send a valid token, first.");
export const forbidden = (reason?: string) =>
  reason
    ? new DomainError("forbidden", reason, { reason: true })
    : new DomainError("forbidden", "You are not allowed to do that.");
