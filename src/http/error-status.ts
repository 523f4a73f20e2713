// The one table from an error code to its HTTP status, for the API and the pages alike.
import type { ErrorCode } from "../domain/errors.ts";

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
} as const satisfies Record<ErrorCode, number>;
