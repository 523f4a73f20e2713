import { expect, test } from "bun:test";
import { DomainError } from "../domain/errors.ts";
import { openStore } from "../store/db.ts";
import { setUserState } from "./user-admin.ts";
import {
  authenticatePassword,
  createUser,
  ensureRootUser,
  findUserByLogin,
  generatePassword,
  verifyPassword,
} from "./users.ts";

const fresh = () => openStore(":memory:").db;

test("createUser stores an argon2id hash, never the password, and defaults name and email", async () => {
  const db = fresh();
  const { user, generatedPassword } = await createUser(db, { username: "alice", password: "correct horse" });
  expect(generatedPassword).toBeUndefined();
  expect(user.passwordHash.startsWith("$argon2id$")).toBe(true);
  expect(user.passwordHash).not.toContain("correct horse");
  expect(user).toMatchObject({ name: "alice", email: "alice@porthole.invalid", admin: false, state: "active" });
  expect(await verifyPassword(user, "correct horse")).toBe(true);
  expect(await verifyPassword(user, "wrong horse")).toBe(false);
});

test("a user created without a password gets a generated one, returned once", async () => {
  const db = fresh();
  const { user, generatedPassword } = await createUser(db, { username: "bob" });
  expect(generatedPassword!.length).toBeGreaterThanOrEqual(20);
  expect(await verifyPassword(user, generatedPassword!)).toBe(true);
});

test("bad fields are refused with GitLab's field messages", async () => {
  const db = fresh();
  const err = await createUser(db, { username: "-bad", password: "short", email: "nope" }).catch((e) => e);
  expect(err).toBeInstanceOf(DomainError);
  expect(err.code).toBe("bad_request");
  expect(err.fields.username[0]).toContain("Cannot start with '-'");
  expect(err.fields.password).toEqual(["is too short (minimum is 8 characters)"]);
  expect(err.fields.email).toEqual(["is invalid"]);
  for (const username of ["api", "name.git", "x", "dot."]) {
    expect((await createUser(db, { username, password: "long enough" }).catch((e) => e)).fields.username).toBeDefined();
  }
});

test("usernames are unique regardless of case; emails too", async () => {
  const db = fresh();
  await createUser(db, { username: "Carol", password: "password1", email: "carol@example.com" });
  const dupName = await createUser(db, { username: "carol", password: "password1" }).catch((e) => e);
  expect([dupName.code, dupName.message]).toEqual(["conflict", "Username has already been taken"]);
  const dupMail = await createUser(db, { username: "carol2", password: "password1", email: "CAROL@example.com" }).catch(
    (e) => e,
  );
  expect([dupMail.code, dupMail.message]).toEqual(["conflict", "Email has already been taken"]);
});

test("findUserByLogin accepts username or email in any case", async () => {
  const db = fresh();
  const { user } = await createUser(db, { username: "dave", password: "password1", email: "dave@example.com" });
  expect(findUserByLogin(db, "DAVE")?.id).toBe(user.id);
  expect(findUserByLogin(db, "Dave@Example.com")?.id).toBe(user.id);
  expect(findUserByLogin(db, "nobody")).toBeNull();
});

test("authenticatePassword refuses wrong passwords, unknown logins and blocked users", async () => {
  const db = fresh();
  const { user } = await createUser(db, { username: "erin", password: "password1" });
  expect((await authenticatePassword(db, "erin", "password1"))?.id).toBe(user.id);
  expect(await authenticatePassword(db, "erin", "password2")).toBeNull();
  expect(await authenticatePassword(db, "nobody", "password1")).toBeNull();
  setUserState(db, user.id, "blocked");
  expect(await authenticatePassword(db, "erin", "password1")).toBeNull();
});

test("ensureRootUser creates the admin root once, with the given or a generated password", async () => {
  const db = fresh();
  const first = await ensureRootUser(db, "root-password");
  expect(first).toEqual({ created: true, password: "root-password" });
  const root = findUserByLogin(db, "root")!;
  expect(root.admin).toBe(true);
  expect(await verifyPassword(root, "root-password")).toBe(true);
  expect(await ensureRootUser(db)).toEqual({ created: false });

  const other = fresh();
  const generated = await ensureRootUser(other);
  expect(generated.created).toBe(true);
  expect(await verifyPassword(findUserByLogin(other, "root")!, generated.password!)).toBe(true);
});

test("generated passwords are letters and digits only: never a leading '-' that a command line reads as an option", () => {
  const passwords = Array.from({ length: 500 }, () => generatePassword());
  for (const p of passwords) expect(p).toMatch(/^[A-Za-z0-9]{24}$/);
  expect(new Set(passwords).size).toBe(500);
});
