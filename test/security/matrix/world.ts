// The permission matrix's world: one private project, a user per role, their API tokens and browser sessions.

import { eq } from "drizzle-orm";
import { createPersonalAccessToken } from "../../../src/auth/tokens.ts";
import { createWebSession } from "../../../src/auth/web-sessions.ts";
import { jobs, members, protectedBranches, users } from "../../../src/store/schema.ts";
import type { TestPorthole } from "../../support/porthole.ts";
import { quickUser } from "../../support/quick-users.ts";

export const ACTORS = [
  "anonymous",
  "guest",
  "reporter",
  "developer",
  "maintainer",
  "owner",
  "nonmember",
  "admin",
] as const;
export type Who = (typeof ACTORS)[number];
export const LEVELS = { guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50 } as const;

export interface Credentials {
  userId: number;
  token: string;
  cookie: string;
  csrf: string;
}

export interface World {
  t: TestPorthole;
  who: Record<Exclude<Who, "anonymous">, Credentials>;
  /** The private project every role is a member of (the owner created it). */
  project: { id: number; path: string; namespace: string; name: string };
  /** A new project with the same members (for deleting). */
  freshProject(visibility?: "private" | "internal" | "public"): Promise<World["project"]>;
  /** A new pipeline in `project` (its jobs stay pending: the world has no runner). */
  freshPipeline(project?: World["project"]): Promise<{ id: number; jobs: { id: number; name: string }[] }>;
  /** A new user, member of nothing. */
  freshUser(): Promise<{ id: number; username: string }>;
  /** A fresh API token of `who`'s user (for revoking). */
  freshToken(who: Exclude<Who, "anonymous">): { id: number; token: string };
  /** A fresh browser session of `who`'s user (for signing out). */
  freshSession(who: Exclude<Who, "anonymous">): { cookie: string; csrf: string };
  setJobStatus(jobId: number, status: "canceled" | "manual" | "failed"): void;
}

export const CI_CONFIG = "build:\n  script: [echo hi]\ndeploy:\n  script: [echo deploy]\n  when: manual\n";

let counter = 0;
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${++counter}`;

async function json<T>(res: Promise<Response>): Promise<T> {
  const r = await res;
  if (!r.ok) throw new Error(`${r.url}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

/** Builds the world inside a running porthole started with `runner.enabled = false`. */
export async function buildWorld(t: TestPorthole): Promise<World> {
  const db = t.porthole.store.db;
  const root = db.select().from(users).where(eq(users.username, "root")).get()!;
  const session = (userId: number) => {
    const s = createWebSession(db, userId, {});
    return { cookie: `_porthole_session=${s.cookieValue}`, csrf: s.csrfToken };
  };
  const credentials = async (name: string): Promise<Credentials> => {
    const user = quickUser(db, name);
    const { token } = createPersonalAccessToken(db, { userId: user.id, name: "matrix", scopes: ["api"] });
    return { userId: user.id, token, ...session(user.id) };
  };
  const who = {} as World["who"];
  for (const name of ["guest", "reporter", "developer", "maintainer", "owner", "nonmember"] as const)
    who[name] = await credentials(name);
  const rootToken = createPersonalAccessToken(db, { userId: root.id, name: "matrix", scopes: ["api"] }).token;
  who.admin = { userId: root.id, token: rootToken, ...session(root.id) };

  const freshProject: World["freshProject"] = async (visibility = "private") => {
    const name = unique("m");
    const p = await json<{ id: number; path: string; namespace: { path: string } }>(
      t.api("/projects", { method: "POST", json: { name, visibility, ci_config: CI_CONFIG }, token: who.owner.token }),
    );
    for (const role of ["guest", "reporter", "developer", "maintainer"] as const) {
      db.insert(members).values({ projectId: p.id, userId: who[role].userId, accessLevel: LEVELS[role] }).run();
    }
    // The matrix is about roles, so `stable` is protected instead of `main`; test/security/protected-refs.test.ts
    // covers what protection refuses.
    db.update(protectedBranches).set({ name: "stable" }).where(eq(protectedBranches.projectId, p.id)).run();
    return { id: p.id, path: `owner/${p.path}`, namespace: "owner", name: p.path };
  };
  const project = await freshProject();

  const freshPipeline: World["freshPipeline"] = async (target = project) => {
    const p = await json<{ id: number }>(
      t.api(`/projects/${target.id}/pipeline`, { method: "POST", json: { ref: "main" }, token: who.owner.token }),
    );
    const list = db.select({ id: jobs.id, name: jobs.name }).from(jobs).where(eq(jobs.pipelineId, p.id)).all();
    return { id: p.id, jobs: list };
  };

  return {
    t,
    who,
    project,
    freshProject,
    freshPipeline,
    async freshUser() {
      const user = quickUser(db, unique("u"));
      return { id: user.id, username: user.username };
    },
    freshToken: (name) => {
      const { token, row } = createPersonalAccessToken(db, {
        userId: who[name].userId,
        name: "throwaway",
        scopes: ["api"],
      });
      return { id: row.id, token };
    },
    freshSession: (name) => session(who[name].userId),
    setJobStatus: (jobId, status) => void db.update(jobs).set({ status }).where(eq(jobs.id, jobId)).run(),
  };
}
