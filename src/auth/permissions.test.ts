import { expect, test } from "bun:test";
import { openStore } from "../store/db.ts";
import type { ProjectRow, UserRow } from "../store/rows.ts";
import type { Actor } from "./actor.ts";
import { accessLevel, can, decide, type ProjectAction, ROLES, scopeAllows, visibleProjects } from "./permissions.ts";

const user = (id: number, admin = false) => ({ id, username: `u${id}`, admin, state: "active" }) as UserRow;
const as = (u: UserRow, extra: Partial<Actor> = {}): Actor => ({ user: u, via: "token", scopes: ["api"], ...extra });
const project = (visibility: ProjectRow["visibility"] = "private") => ({ id: 7, visibility }) as ProjectRow;

const ladder: [ProjectAction, number][] = [
  ["read_project", ROLES.guest],
  ["read_pipeline", ROLES.reporter],
  ["read_job_log", ROLES.reporter],
  ["create_pipeline", ROLES.developer],
  ["update_job", ROLES.developer],
  ["admin_variables", ROLES.maintainer],
  ["read_audit", ROLES.maintainer],
  ["admin_members", ROLES.maintainer],
  ["update_project", ROLES.maintainer],
  ["delete_pipeline", ROLES.owner],
  ["delete_project", ROLES.owner],
];

test("each project action needs its role on a private project, and nothing less", () => {
  const alice = as(user(1));
  for (const [action, least] of ladder) {
    for (const level of [0, 10, 20, 30, 40, 50]) {
      expect([action, level, can(alice, action, { project: project(), level })]).toEqual([
        action,
        level,
        level >= least,
      ]);
    }
  }
});

test("an admin may do everything without being a member", () => {
  for (const [action] of ladder) expect(can(as(user(9, true)), action, { project: project(), level: 0 })).toBe(true);
  expect(can(as(user(9, true)), "admin_users")).toBe(true);
  expect(can(as(user(1)), "admin_users")).toBe(false);
});

test("public projects are readable by anyone, internal ones by signed-in users; writing still needs a role", () => {
  expect(can(null, "read_job_log", { project: project("public"), level: 0 })).toBe(true);
  expect(can(null, "read_project", { project: project("internal"), level: 0 })).toBe(false);
  expect(can(as(user(1)), "read_pipeline", { project: project("internal"), level: 0 })).toBe(true);
  expect(can(as(user(1)), "create_pipeline", { project: project("public"), level: 0 })).toBe(false);
});

test("read_api tokens read but never write, whatever the role", () => {
  const reader = as(user(1), { scopes: ["read_api"] });
  expect(can(reader, "read_pipeline", { project: project(), level: 50 })).toBe(true);
  expect(can(reader, "create_pipeline", { project: project(), level: 50 })).toBe(false);
  expect(can(as(user(9, true), { scopes: ["read_api"] }), "update_job", { project: project(), level: 0 })).toBe(false);
  expect(scopeAllows(reader, "GET")).toBe(true);
  expect(scopeAllows(reader, "POST")).toBe(false);
  expect(scopeAllows(as(user(1)), "DELETE")).toBe(true);
});

test("terminals: Developers on jobs they started, Maintainers and Owners on any, admins always", () => {
  const dev = as(user(1));
  const ctx = (level: number, starter: number | null) => ({ project: project(), level, job: { userId: starter } });
  expect(can(dev, "open_terminal", ctx(30, 1))).toBe(true);
  expect(can(dev, "open_terminal", ctx(30, 2))).toBe(false);
  expect(can(dev, "open_terminal", ctx(30, null))).toBe(false);
  expect(can(dev, "open_terminal", ctx(20, 1))).toBe(false);
  expect(can(dev, "open_terminal", ctx(40, 2))).toBe(true);
  expect(can(as(user(9, true)), "open_terminal", ctx(0, 2))).toBe(true);
  expect(can(null, "open_terminal", { ...ctx(0, null), project: project("public") })).toBe(false);
});

test("Maintainers manage members below Owner; only Owners touch Owner level", () => {
  const m = as(user(1));
  const change = (level: number, from: number | undefined, to: number | undefined) =>
    can(m, "admin_members", { project: project(), level, memberChange: { from, to } });
  expect(change(40, undefined, 40)).toBe(true);
  expect(change(40, undefined, 50)).toBe(false);
  expect(change(40, 50, 40)).toBe(false);
  expect(change(50, 50, 10)).toBe(true);
});

test("job tokens act only inside their own project, only to read or trigger", () => {
  const job = as(user(1), { via: "job", scopes: ["read_api"], projectScope: 7 });
  expect(can(job, "read_pipeline", { project: project(), level: 30 })).toBe(true);
  expect(can(job, "read_job_log", { project: project(), level: 30 })).toBe(false);
  expect(can(job, "read_project", { project: { ...project("public"), id: 8 }, level: 30 })).toBe(false);
  expect(can(job, "admin_users")).toBe(false);
});

test("decide answers 401 for anonymous, 404 when the project is invisible, 403 when visible but not allowed", () => {
  expect(decide(null, "read_project", { project: project(), level: 0 })).toBe("unauthorized");
  expect(decide(as(user(1)), "read_project", { project: project(), level: 0 })).toBe("not_found");
  expect(decide(as(user(1)), "update_job", { project: project(), level: 20 })).toBe("forbidden");
  expect(decide(as(user(1)), "update_job", { project: project(), level: 30 })).toBe("ok");
});

test("accessLevel reads unexpired memberships; visibleProjects matches read_project", () => {
  const { db, sqlite, repos } = openStore(":memory:");
  sqlite.run(
    `INSERT INTO users (id, username, name, email, password_hash) VALUES (1, 'a', 'a', 'a@x', 'x'), (2, 'b', 'b', 'b@x', 'x')`,
  );
  sqlite.run(
    `INSERT INTO projects (id, name, path, namespace, visibility) VALUES (1, 'p1', 'p1', 'a', 'private'),
      (2, 'p2', 'p2', 'a', 'internal'), (3, 'p3', 'p3', 'a', 'public'), (4, 'p4', 'p4', 'a', 'private')`,
  );
  sqlite.run(
    `INSERT INTO members (project_id, user_id, access_level, expires_at)
      VALUES (1, 2, 30, NULL), (4, 2, 40, '2000-01-01')`,
  );
  expect(accessLevel(db, { id: 2 }, { id: 1 })).toBe(30);
  expect(accessLevel(db, { id: 2 }, { id: 4 })).toBe(0);
  const ids = (actor: Actor | null) =>
    repos.projects
      .page({ visibleTo: visibleProjects(actor) }, { by: "id", sort: "asc" }, { perPage: 100, offset: 0 })
      .rows.map((r) => r.id);
  expect(ids(null)).toEqual([3]);
  expect(ids(as(user(2)))).toEqual([1, 2, 3]);
  expect(ids(as(user(9, true)))).toEqual([1, 2, 3, 4]);
  expect(ids(as(user(2), { via: "job", projectScope: 2 }))).toEqual([2]);
});
