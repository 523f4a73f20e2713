// Validation rules for user fields, worded as GitLab words them; each check returns a problem or null.
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";

export const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 128;

/**
 * Top-level paths a username may not take: porthole's own routes live beside `/<username>/<project>`.
 * (GitLab keeps a similar list of reserved top-level paths.)
 */
const RESERVED_USERNAMES = new Set([
  "-",
  "admin",
  "api",
  "assets",
  "dashboard",
  "explore",
  "favicon.ico",
  "health",
  "help",
  "login",
  "logout",
  "metrics",
  "projects",
  "public",
  "robots.txt",
  "runners",
  "search",
  "sign_in",
  "static",
  "users",
  "web",
]);

/** GitLab: letters, digits, `_`, `-`, `.`; not starting with `-`, not ending in `.`, `.git` or `.atom`; 2–255. */
export function checkUsername(username: string): string | null {
  if (username.length < 2) return "is too short (minimum is 2 characters)";
  if (username.length > 255) return "is too long (maximum is 255 characters)";
  if (!/^[a-zA-Z0-9_.][a-zA-Z0-9_.-]*$/.test(username) || /(\.|\.git|\.atom)$/i.test(username)) {
    return "can contain only letters, digits, '_', '-' and '.'. Cannot start with '-' or end in '.', '.git' or '.atom'.";
  }
  if (RESERVED_USERNAMES.has(username.toLowerCase())) return `${username} is a reserved name`;
  return null;
}

export function checkName(name: string): string | null {
  if (name.trim().length === 0) return "can't be blank";
  if (name.length > 255) return "is too long (maximum is 255 characters)";
  return null;
}

export function checkEmail(email: string): string | null {
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) return "is invalid";
  return null;
}

export function checkPassword(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `is too short (minimum is ${MIN_PASSWORD_LENGTH} characters)`;
  if (password.length > MAX_PASSWORD_LENGTH) return `is too long (maximum is ${MAX_PASSWORD_LENGTH} characters)`;
  return null;
}

/** Usernames are unique regardless of case (as in GitLab); `exceptId` skips the user being renamed. */
export function isUsernameTaken(db: Db, username: string, exceptId?: number): boolean {
  const id = repositoriesOf(db).users.idOfUsername(username);
  return id !== null && id !== exceptId;
}
