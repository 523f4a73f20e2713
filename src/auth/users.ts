// User accounts: creation with GitLab's username rules, argon2id passwords, sign-in lookup and the first admin.
import { conflict, invalid } from "../domain/errors.ts";
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import type { UserRow } from "../store/rows.ts";
import { checkEmail, checkName, checkPassword, checkUsername, isUsernameTaken } from "./user-rules.ts";

export interface NewUser {
  username: string;
  /** Plain text, at least 8 characters; a random one is generated (and returned once) when absent. */
  password?: string;
  name?: string;
  /** Defaults to `<username>@porthole.invalid` (the column is unique and required). */
  email?: string;
  admin?: boolean;
}

/** Hashes a password with argon2id (Bun.password). */
export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, { algorithm: "argon2id" });
}

/** A random password for accounts created without one (24 url-safe characters). */
export function generatePassword(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64url");
}

/**
 * Creates a user. Throws `DomainError` bad_request with field messages for an invalid username, name, email or
 * password, and conflict when the username (case-insensitively) or email is taken.
 */
export async function createUser(db: Db, input: NewUser): Promise<{ user: UserRow; generatedPassword?: string }> {
  const generatedPassword = input.password === undefined ? generatePassword() : undefined;
  const password = input.password ?? generatedPassword!;
  const email = (input.email ?? `${input.username}@porthole.invalid`).trim();
  const fields: Record<string, string[]> = {};
  for (const [field, problem] of [
    ["username", checkUsername(input.username)],
    ["name", input.name === undefined ? null : checkName(input.name)],
    ["email", checkEmail(email)],
    ["password", checkPassword(password)],
  ] as const) {
    if (problem) fields[field] = [problem];
  }
  if (Object.keys(fields).length > 0) throw invalid(fields);
  if (isUsernameTaken(db, input.username)) throw conflict("Username has already been taken");
  if (repositoriesOf(db).users.findByEmail(email)) throw conflict("Email has already been taken");
  const passwordHash = await hashPassword(password);
  const user = repositoriesOf(db).users.insert({
    username: input.username,
    name: input.name?.trim() || input.username,
    email,
    passwordHash,
    admin: input.admin ?? false,
  });
  return generatedPassword ? { user, generatedPassword } : { user };
}

/** Whether `password` matches the user's stored hash. */
export function verifyPassword(user: Pick<UserRow, "passwordHash">, password: string): Promise<boolean> {
  return Bun.password.verify(password, user.passwordHash).catch(() => false);
}

/** The user whose username (case-insensitive) or email matches `login`, as GitLab's sign-in form accepts both. */
export function findUserByLogin(db: Db, login: string): UserRow | null {
  return repositoriesOf(db).users.findByLogin(login.trim());
}

/** A hash of a random password, verified against when the login is unknown so both paths take as long. */
let decoyHash: Promise<string> | undefined;

/**
 * Sign-in: the active user with this login and password, or null. Spends the same argon2 work for unknown
 * logins, so response time does not tell which usernames exist.
 */
export async function authenticatePassword(db: Db, login: string, password: string): Promise<UserRow | null> {
  const user = findUserByLogin(db, login);
  decoyHash ??= hashPassword(generatePassword());
  const ok = await verifyPassword(user ?? { passwordHash: await decoyHash }, password);
  return ok && user && user.state === "active" ? user : null;
}

/**
 * On an empty users table, creates the admin `root` with `password` or a generated one (returned once).
 * Does nothing when any user exists.
 */
export async function ensureRootUser(db: Db, password?: string): Promise<{ created: boolean; password?: string }> {
  if (repositoriesOf(db).users.hasAny()) return { created: false };
  const { generatedPassword } = await createUser(db, {
    username: "root",
    name: "Administrator",
    password,
    admin: true,
  });
  return { created: true, password: password ?? generatedPassword };
}

export function findUserById(db: Db, id: number): UserRow | null {
  return repositoriesOf(db).users.findById(id);
}
