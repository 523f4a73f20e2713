// GitLab's error messages are built from a DomainError's code, resource and plain message, never parsed from text.
import { expect, test } from "bun:test";
import { badRequest, conflict, forbidden, invalid, notFound, refused, unauthorized } from "../../domain/errors.ts";
import { ERROR_STATUS } from "../error-status.ts";
import { gitlabMessage } from "./errors.ts";

test("each helper gives a plain message and GitLab's API text", () => {
  const cases = [
    [notFound("Job"), "Job not found", "404 Job Not Found", 404],
    [unauthorized(), "Sign in, or send a valid token, first.", "401 Unauthorized", 401],
    [forbidden(), "You are not allowed to do that.", "403 Forbidden", 403],
    [forbidden("Job is not retryable"), "Job is not retryable", "403 Forbidden - Job is not retryable", 403],
    [refused("only a token can"), "only a token can", "400 Bad request - only a token can", 400],
    [badRequest("Unplayable Job"), "Unplayable Job", "Unplayable Job", 400],
    [conflict("Member already exists"), "Member already exists", "Member already exists", 409],
  ] as const;
  for (const [err, plain, api, status] of cases) {
    expect([err.message, gitlabMessage(err), ERROR_STATUS[err.code]]).toEqual([plain, api, status]);
    expect(err.message).not.toMatch(/^\d{3} /);
  }
});

test("field errors answer the fields, with one readable sentence as the message", () => {
  const err = invalid({ username: ["is too short"], email: ["is invalid"], base: ["Reference not found"] });
  expect(gitlabMessage(err)).toEqual({
    username: ["is too short"],
    email: ["is invalid"],
    base: ["Reference not found"],
  });
  expect(err.message).toBe("username is too short; email is invalid; Reference not found");
});
