// The API half of the permission matrix: every /api/v4 route with the status each actor must get.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { recordOpen } from "../../../src/session/audit.ts";
import { makeRepo } from "../../support/git-repo.ts";
import { ARTIFACT_ROWS } from "./artifact-rows.ts";
import { ENVIRONMENT_ROWS } from "./environment-rows.ts";
import { adminOnly, anyone, api, type Expected, signedIn } from "./expect.ts";
import { TERMINAL_API_ROWS } from "./terminal-page-rows.ts";
import { CI_CONFIG, LEVELS, unique, type Who, type World } from "./world.ts";

export interface Call {
  path: string;
  /** Set by the test from the row's route. */
  method?: string;
  body?: Record<string, unknown>;
  /** Replaces the actor's usual token (for routes that revoke the credential they are called with). */
  token?: string;
}

export interface Row {
  route: string;
  expect: Expected;
  /** The request one actor makes; destructive routes get throwaway targets per actor. */
  call(w: World, who: Who): Call | Promise<Call>;
}

const P = "/projects";
const pid = (w: World) => `${P}/${w.project.id}`;
let shared: { pipeline: number; job: number } | undefined;
/** One pipeline for read routes, made on first use. */
async function readable(w: World) {
  if (!shared) {
    const p = await w.freshPipeline();
    shared = { pipeline: p.id, job: p.jobs[0]!.id };
  }
  return shared;
}
const signedInWho = (who: Who) => (who === "anonymous" ? "owner" : who);
let recorded: number | undefined;
/** A terminal_sessions row of `project` with a recording file, made on first use. */
async function recordedSession(w: World): Promise<number> {
  if (recorded === undefined) {
    const job = (await readable(w)).job;
    const recordingPath = `recordings/job-${job}-1.cast`;
    mkdirSync(join(w.t.dataDir, "recordings"), { recursive: true });
    writeFileSync(join(w.t.dataDir, recordingPath), '{"version":2,"width":80,"height":24}\n');
    recorded = recordOpen(w.t.porthole.store.db, {
      jobId: job,
      projectId: w.project.id,
      userId: w.who.owner.userId,
      mode: "rw",
      subprotocol: "porthole.terminal.v1",
      remoteAddress: null,
      userAgent: null,
      recordingPath,
    });
  }
  return recorded;
}

export const API_TABLE: Row[] = [
  { route: "GET /api/v4/version", expect: signedIn(200), call: () => ({ path: "/version" }) },
  { route: "GET /api/v4/user", expect: signedIn(200), call: () => ({ path: "/user" }) },
  { route: "GET /api/v4/users", expect: signedIn(200), call: () => ({ path: "/users" }) },
  {
    route: "GET /api/v4/users/:user_id{[0-9]+}",
    expect: signedIn(200),
    call: (w) => ({ path: `/users/${w.who.owner.userId}` }),
  },
  {
    route: "POST /api/v4/users",
    expect: adminOnly(201),
    call: () => ({
      path: "/users",
      body: { username: unique("n"), name: "N", email: `${unique("e")}@x.test`, password: "long-enough-1" },
    }),
  },
  {
    route: "PUT /api/v4/users/:user_id{[0-9]+}",
    expect: adminOnly(200),
    call: async (w) => ({ path: `/users/${(await w.freshUser()).id}`, body: { name: "Renamed" } }),
  },
  {
    route: "DELETE /api/v4/users/:user_id{[0-9]+}",
    expect: adminOnly(204),
    call: async (w) => ({ path: `/users/${(await w.freshUser()).id}` }),
  },
  {
    route: "POST /api/v4/users/:user_id{[0-9]+}/block",
    expect: adminOnly(201),
    call: async (w) => ({ path: `/users/${(await w.freshUser()).id}/block` }),
  },
  {
    route: "POST /api/v4/users/:user_id{[0-9]+}/unblock",
    expect: adminOnly(201),
    call: async (w) => ({ path: `/users/${(await w.freshUser()).id}/unblock` }),
  },
  {
    route: "GET /api/v4/personal_access_tokens",
    expect: signedIn(200),
    call: () => ({ path: "/personal_access_tokens" }),
  },
  {
    route: "GET /api/v4/personal_access_tokens/self",
    expect: signedIn(200),
    call: () => ({ path: "/personal_access_tokens/self" }),
  },
  {
    route: "GET /api/v4/personal_access_tokens/:token_id{[0-9]+}",
    expect: signedIn(200),
    call: (w, who) => ({ path: `/personal_access_tokens/${w.freshToken(signedInWho(who)).id}` }),
  },
  {
    route: "DELETE /api/v4/personal_access_tokens/self",
    expect: signedIn(204),
    call: (w, who) => ({
      path: "/personal_access_tokens/self",
      token: who === "anonymous" ? undefined : w.freshToken(who).token,
    }),
  },
  {
    route: "DELETE /api/v4/personal_access_tokens/:token_id{[0-9]+}",
    expect: signedIn(204),
    call: (w, who) => ({ path: `/personal_access_tokens/${w.freshToken(signedInWho(who)).id}` }),
  },
  {
    route: "POST /api/v4/users/:user_id{[0-9]+}/personal_access_tokens",
    expect: adminOnly(201),
    call: async (w) => ({
      path: `/users/${(await w.freshUser()).id}/personal_access_tokens`,
      body: { name: "x", scopes: ["api"] },
    }),
  },
  { route: "GET /api/v4/projects", expect: anyone(200), call: () => ({ path: P }) },
  { route: "POST /api/v4/projects", expect: signedIn(201), call: () => ({ path: P, body: { name: unique("new") } }) },
  { route: "GET /api/v4/projects/:id", expect: api("guest"), call: (w) => ({ path: pid(w) }) },
  {
    route: "PUT /api/v4/projects/:id",
    expect: api("maintainer"),
    call: (w) => ({ path: pid(w), body: { description: "changed" } }),
  },
  {
    route: "POST /api/v4/projects/:id/reset_cache",
    expect: api("maintainer"),
    call: (w) => ({ path: `${pid(w)}/reset_cache` }),
  },
  {
    route: "DELETE /api/v4/projects/:id",
    expect: api("owner", 202),
    call: async (w) => ({ path: `${P}/${(await w.freshProject()).id}` }),
  },
  { route: "GET /api/v4/projects/:id/members", expect: api("guest"), call: (w) => ({ path: `${pid(w)}/members` }) },
  {
    route: "GET /api/v4/projects/:id/members/all",
    expect: api("guest"),
    call: (w) => ({ path: `${pid(w)}/members/all` }),
  },
  {
    route: "GET /api/v4/projects/:id/members/:user_id{[0-9]+}",
    expect: api("guest"),
    call: (w) => ({ path: `${pid(w)}/members/${w.who.owner.userId}` }),
  },
  {
    route: "POST /api/v4/projects/:id/members",
    expect: api("maintainer", 201),
    call: async (w) => ({ path: `${pid(w)}/members`, body: { user_id: (await w.freshUser()).id, access_level: 30 } }),
  },
  {
    route: "PUT /api/v4/projects/:id/members/:user_id{[0-9]+}",
    expect: api("maintainer"),
    call: async (w) => ({ path: `${pid(w)}/members/${await freshMember(w)}`, body: { access_level: 20 } }),
  },
  {
    route: "DELETE /api/v4/projects/:id/members/:user_id{[0-9]+}",
    expect: api("maintainer", 204),
    call: async (w) => ({ path: `${pid(w)}/members/${await freshMember(w)}` }),
  },
  {
    route: "GET /api/v4/projects/:id/variables",
    expect: api("maintainer"),
    call: (w) => ({ path: `${pid(w)}/variables` }),
  },
  {
    route: "GET /api/v4/projects/:id/variables/:key",
    expect: api("maintainer"),
    call: async (w) => ({ path: `${pid(w)}/variables/${await freshVariable(w)}` }),
  },
  {
    route: "POST /api/v4/projects/:id/variables",
    expect: api("maintainer", 201),
    call: (w) => ({ path: `${pid(w)}/variables`, body: { key: unique("K_"), value: "v" } }),
  },
  {
    route: "PUT /api/v4/projects/:id/variables/:key",
    expect: api("maintainer"),
    call: async (w) => ({ path: `${pid(w)}/variables/${await freshVariable(w)}`, body: { value: "w" } }),
  },
  {
    route: "DELETE /api/v4/projects/:id/variables/:key",
    expect: api("maintainer", 204),
    call: async (w) => ({ path: `${pid(w)}/variables/${await freshVariable(w)}` }),
  },
  {
    route: "POST /api/v4/projects/:id/pipeline",
    expect: api("developer", 201),
    call: (w) => ({ path: `${pid(w)}/pipeline`, body: { ref: "main" } }),
  },
  {
    route: "GET /api/v4/projects/:id/pipelines",
    expect: api("reporter"),
    call: (w) => ({ path: `${pid(w)}/pipelines` }),
  },
  {
    route: "GET /api/v4/projects/:id/pipelines/:pipeline_id{[0-9]+}",
    expect: api("reporter"),
    call: async (w) => ({ path: `${pid(w)}/pipelines/${(await readable(w)).pipeline}` }),
  },
  {
    route: "POST /api/v4/projects/:id/pipelines/:pipeline_id{[0-9]+}/cancel",
    expect: api("developer", 201),
    call: async (w) => ({ path: `${pid(w)}/pipelines/${(await w.freshPipeline()).id}/cancel` }),
  },
  {
    route: "POST /api/v4/projects/:id/pipelines/:pipeline_id{[0-9]+}/retry",
    expect: api("developer", 201),
    call: async (w) => {
      const p = await w.freshPipeline();
      w.setJobStatus(p.jobs[0]!.id, "failed");
      return { path: `${pid(w)}/pipelines/${p.id}/retry` };
    },
  },
  {
    route: "DELETE /api/v4/projects/:id/pipelines/:pipeline_id{[0-9]+}",
    expect: api("owner", 204),
    call: async (w) => ({ path: `${pid(w)}/pipelines/${(await w.freshPipeline()).id}` }),
  },
  {
    route: "POST /api/v4/projects/:id/ci/lint",
    expect: api("reporter"),
    call: (w) => ({ path: `${pid(w)}/ci/lint`, body: { content: "x:\n  script: [true]\n" } }),
  },
  {
    route: "GET /api/v4/projects/:id/pipelines/:pipeline_id{[0-9]+}/jobs",
    expect: api("reporter"),
    call: async (w) => ({ path: `${pid(w)}/pipelines/${(await readable(w)).pipeline}/jobs` }),
  },
  {
    route: "GET /api/v4/projects/:id/pipelines/:pipeline_id{[0-9]+}/bridges",
    expect: api("reporter"),
    call: async (w) => ({ path: `${pid(w)}/pipelines/${(await readable(w)).pipeline}/bridges` }),
  },
  { route: "GET /api/v4/projects/:id/jobs", expect: api("reporter"), call: (w) => ({ path: `${pid(w)}/jobs` }) },
  {
    route: "GET /api/v4/projects/:id/jobs/:job_id{[0-9]+}",
    expect: api("reporter"),
    call: async (w) => ({ path: `${pid(w)}/jobs/${(await readable(w)).job}` }),
  },
  {
    route: "GET /api/v4/projects/:id/jobs/:job_id{[0-9]+}/trace",
    expect: api("reporter"),
    call: async (w) => ({ path: `${pid(w)}/jobs/${(await readable(w)).job}/trace` }),
  },
  {
    route: "POST /api/v4/projects/:id/jobs/:job_id{[0-9]+}/cancel",
    expect: api("developer", 201),
    call: async (w) => ({ path: `${pid(w)}/jobs/${(await w.freshPipeline()).jobs[0]!.id}/cancel` }),
  },
  {
    route: "POST /api/v4/projects/:id/jobs/:job_id{[0-9]+}/retry",
    expect: api("developer", 201),
    call: async (w) => {
      const job = (await w.freshPipeline()).jobs[0]!.id;
      w.setJobStatus(job, "failed");
      return { path: `${pid(w)}/jobs/${job}/retry` };
    },
  },
  // Continue needs open_terminal (a Developer only on jobs they started); nothing waits here: 409.
  {
    route: "POST /api/v4/projects/:id/jobs/:job_id{[0-9]+}/continue",
    expect: api("maintainer", 409),
    call: async (w) => ({ path: `${pid(w)}/jobs/${(await w.freshPipeline()).jobs[0]!.id}/continue` }),
  },
  {
    route: "POST /api/v4/projects/:id/jobs/:job_id{[0-9]+}/play",
    expect: api("developer"),
    call: async (w) => ({
      path: `${pid(w)}/jobs/${(await w.freshPipeline()).jobs.find((j) => j.name === "deploy")!.id}/play`,
    }),
  },
  // Only a running job's CI_JOB_TOKEN answers here; personal tokens and sessions are not job tokens.
  { route: "GET /api/v4/job", expect: anyone(401), call: () => ({ path: "/job" }) },
  {
    route: "GET /api/v4/projects/:id/jobs/:job_id{[0-9]+}/trace/stream",
    expect: api("reporter"),
    call: async (w) => ({ path: `${pid(w)}/jobs/${(await readable(w)).job}/trace/stream` }),
  },
  {
    route: "GET /api/v4/projects/:id/triggers",
    expect: api("maintainer"),
    call: (w) => ({ path: `${pid(w)}/triggers` }),
  },
  {
    route: "POST /api/v4/projects/:id/triggers",
    expect: api("maintainer", 201),
    call: (w) => ({ path: `${pid(w)}/triggers`, body: { description: "t" } }),
  },
  {
    route: "DELETE /api/v4/projects/:id/triggers/:trigger_id{[0-9]+}",
    expect: api("maintainer", 204),
    call: async (w) => ({ path: `${pid(w)}/triggers/${(await freshTrigger(w)).id}` }),
  },
  // The trigger token is the credential: whoever holds it may start a pipeline (as the trigger's owner).
  {
    route: "POST /api/v4/projects/:id/trigger/pipeline",
    expect: anyone(201),
    call: async (w) => ({
      path: `${pid(w)}/trigger/pipeline`,
      body: { token: (await freshTrigger(w)).token, ref: "main" },
    }),
  },
  {
    route: "POST /api/v4/user/runners",
    expect: adminOnly(201),
    call: () => ({ path: "/user/runners", body: { runner_type: "instance_type", description: "r" } }),
  },
  // GitLab's runner API: only runner and job tokens count there, so every user credential gets 403.
  {
    route: "POST /api/v4/runners/verify",
    expect: anyone(403),
    call: () => ({ path: "/runners/verify", body: { token: "glrt-matrix-not-a-runner" } }),
  },
  {
    route: "POST /api/v4/runners",
    expect: anyone(403),
    call: () => ({ path: "/runners", body: { token: "not-the-registration-token" } }),
  },
  {
    route: "DELETE /api/v4/runners",
    expect: anyone(403),
    call: () => ({ path: "/runners", body: { token: "glrt-matrix-not-a-runner" } }),
  },
  {
    route: "POST /api/v4/runners/reset_authentication_token",
    expect: anyone(403),
    call: () => ({ path: "/runners/reset_authentication_token", body: { token: "glrt-matrix-not-a-runner" } }),
  },
  {
    route: "POST /api/v4/jobs/request",
    expect: anyone(403),
    call: () => ({ path: "/jobs/request", body: { token: "glrt-matrix-not-a-runner" } }),
  },
  {
    route: "PUT /api/v4/jobs/:id",
    expect: anyone(403),
    call: async (w) => ({ path: `/jobs/${(await readable(w)).job}`, body: { state: "success" } }),
  },
  {
    route: "PATCH /api/v4/jobs/:id/trace",
    expect: anyone(403),
    call: async (w) => ({ path: `/jobs/${(await readable(w)).job}/trace` }),
  },
  { route: "GET /api/v4/runners", expect: signedIn(200), call: () => ({ path: "/runners" }) },
  { route: "GET /api/v4/runners/all", expect: adminOnly(200), call: () => ({ path: "/runners/all" }) },
  {
    route: "GET /api/v4/runners/:runner_id{[0-9]+}",
    expect: adminOnly(200),
    call: async (w) => ({ path: `/runners/${await freshRunner(w)}` }),
  },
  {
    route: "DELETE /api/v4/runners/:runner_id{[0-9]+}",
    expect: adminOnly(204),
    call: async (w) => ({ path: `/runners/${await freshRunner(w)}` }),
  },
  {
    route: "GET /api/v4/projects/:id/terminal_sessions",
    expect: api("maintainer"),
    call: (w) => ({ path: `${pid(w)}/terminal_sessions` }),
  },
  {
    route: "GET /api/v4/projects/:id/terminal_sessions/:session_id/recording",
    expect: api("maintainer"),
    call: async (w) => ({ path: `${pid(w)}/terminal_sessions/${await recordedSession(w)}/recording` }),
  },
  {
    route: "GET /api/v4/projects/:id/protected_branches",
    expect: api("developer"),
    call: (w) => ({ path: `${pid(w)}/protected_branches` }),
  },
  {
    route: "GET /api/v4/projects/:id/protected_branches/:name{.+}",
    expect: api("developer"),
    call: (w) => ({ path: `${pid(w)}/protected_branches/stable` }),
  },
  {
    route: "POST /api/v4/projects/:id/protected_branches",
    expect: api("maintainer", 201),
    call: (w) => ({ path: `${pid(w)}/protected_branches`, body: { name: `${unique("release-")}/*` } }),
  },
  {
    route: "DELETE /api/v4/projects/:id/protected_branches/:name{.+}",
    expect: api("maintainer", 204),
    call: async (w) => ({ path: `${pid(w)}/protected_branches/${encodeURIComponent(await freshProtected(w))}` }),
  },
  { route: "GET /api/v4/audit_events", expect: adminOnly(200), call: () => ({ path: "/audit_events" }) },
  {
    route: "GET /api/v4/projects/:id/audit_events",
    expect: api("maintainer"),
    call: (w) => ({ path: `${pid(w)}/audit_events` }),
  },
  {
    route: "GET /api/v4/projects/:id/hooks/push",
    expect: api("maintainer"),
    call: (w) => ({ path: `${pid(w)}/hooks/push` }),
  },
  {
    route: "POST /api/v4/projects/:id/hooks/push/secret",
    expect: api("maintainer", 201),
    call: (w) => ({ path: `${pid(w)}/hooks/push/secret` }),
  },
  {
    route: "DELETE /api/v4/projects/:id/hooks/push/secret",
    expect: api("maintainer", 204),
    call: async (w) => {
      await freshWebhookSecret(w);
      return { path: `${pid(w)}/hooks/push/secret` };
    },
  },
  // The signature is the credential: no user's token counts; an unsigned body is refused for everyone alike.
  {
    route: "POST /api/v4/projects/:id/hooks/push",
    expect: anyone(400),
    call: async (w) => {
      await freshWebhookSecret(w);
      return { path: `${pid(w)}/hooks/push`, body: { ref: "refs/heads/main" } };
    },
  },
  {
    route: "GET /api/v4/projects/:id/pipeline_schedules",
    expect: api("reporter"),
    call: (w) => ({ path: `${pid(w)}/pipeline_schedules` }),
  },
  {
    route: "POST /api/v4/projects/:id/pipeline_schedules",
    expect: api("developer", 201),
    call: (w) => ({
      path: `${pid(w)}/pipeline_schedules`,
      body: { description: "m", ref: "feature", cron: "0 4 * * *" },
    }),
  },
  {
    route: "GET /api/v4/projects/:id/pipeline_schedules/:schedule_id{[0-9]+}",
    expect: api("reporter"),
    call: async (w) => ({ path: `${pid(w)}/pipeline_schedules/${await freshSchedule(w)}` }),
  },
  {
    route: "GET /api/v4/projects/:id/pipeline_schedules/:schedule_id{[0-9]+}/pipelines",
    expect: api("reporter"),
    call: async (w) => ({ path: `${pid(w)}/pipeline_schedules/${await freshSchedule(w)}/pipelines` }),
  },
  // A schedule is edited by its owner (here the project's Owner) or a Maintainer.
  {
    route: "PUT /api/v4/projects/:id/pipeline_schedules/:schedule_id{[0-9]+}",
    expect: api("maintainer"),
    call: async (w) => ({ path: `${pid(w)}/pipeline_schedules/${await freshSchedule(w)}`, body: { active: false } }),
  },
  {
    route: "DELETE /api/v4/projects/:id/pipeline_schedules/:schedule_id{[0-9]+}",
    expect: api("maintainer", 204),
    call: async (w) => ({ path: `${pid(w)}/pipeline_schedules/${await freshSchedule(w)}` }),
  },
  {
    route: "POST /api/v4/projects/:id/pipeline_schedules/:schedule_id{[0-9]+}/take_ownership",
    expect: api("maintainer", 201),
    call: async (w) => ({ path: `${pid(w)}/pipeline_schedules/${await freshSchedule(w)}/take_ownership` }),
  },
  {
    route: "POST /api/v4/projects/:id/pipeline_schedules/:schedule_id{[0-9]+}/play",
    expect: api("developer", 201),
    call: async (w) => ({ path: `${pid(w)}/pipeline_schedules/${await freshSchedule(w)}/play` }),
  },
  {
    route: "POST /api/v4/projects/:id/pipeline_schedules/:schedule_id{[0-9]+}/variables",
    expect: api("maintainer", 201),
    call: async (w) => ({
      path: `${pid(w)}/pipeline_schedules/${await freshSchedule(w)}/variables`,
      body: { key: "K", value: "v" },
    }),
  },
  {
    route: "PUT /api/v4/projects/:id/pipeline_schedules/:schedule_id{[0-9]+}/variables/:key",
    expect: api("maintainer"),
    call: async (w) => ({
      path: `${pid(w)}/pipeline_schedules/${await freshSchedule(w, "K")}/variables/K`,
      body: { value: "w" },
    }),
  },
  {
    route: "DELETE /api/v4/projects/:id/pipeline_schedules/:schedule_id{[0-9]+}/variables/:key",
    expect: api("maintainer"),
    call: async (w) => ({ path: `${pid(w)}/pipeline_schedules/${await freshSchedule(w, "K")}/variables/K` }),
  },
  { route: "GET /api/v4/metadata", expect: signedIn(200), call: () => ({ path: "/metadata" }) },
  { route: "GET /api/v4/projects/:id/ci/lint", expect: api("reporter"), call: (w) => ({ path: `${pid(w)}/ci/lint` }) },
  {
    route: "GET /api/v4/projects/:id/pipelines/latest",
    expect: api("reporter"),
    call: async (w) => {
      await readable(w);
      return { path: `${pid(w)}/pipelines/latest` };
    },
  },
  {
    route: "GET /api/v4/projects/:id/pipelines/:pipeline_id{[0-9]+}/variables",
    expect: api("developer"),
    call: async (w) => ({ path: `${pid(w)}/pipelines/${(await readable(w)).pipeline}/variables` }),
  },
  ...(
    [
      ["branches", () => "/repository/branches"],
      ["branches/:branch{.+}", () => "/repository/branches/main"],
      ["tags", () => "/repository/tags"],
      ["tags/:tag{.+}", () => "/repository/tags/v1"],
      ["commits", () => "/repository/commits"],
      ["commits/:sha{[^/]+}", (sha: string) => `/repository/commits/${sha}`],
      ["commits/:sha{[^/]+}/statuses", (sha: string) => `/repository/commits/${sha}/statuses`],
      ["files/:file_path{.+}", () => "/repository/files/README.md?ref=main"],
      ["files/:file_path{.+}/raw", () => "/repository/files/README.md/raw?ref=main"],
    ] as const
  ).map(([route, path]) => ({
    route: `GET /api/v4/projects/:id/repository/${route}`,
    expect: api("reporter"),
    call: async (w: World) => {
      const m = await mirrored(w);
      return { path: `${P}/${m.id}${path(m.sha)}` };
    },
  })),
  {
    route: "POST /api/v4/projects/:id/statuses/:sha{[^/]+}",
    expect: api("developer", 201),
    call: async (w) => {
      const m = await mirrored(w);
      return { path: `${P}/${m.id}/statuses/${m.sha}`, body: { state: "success", name: unique("check-") } };
    },
  },
  ...ARTIFACT_ROWS,
  ...ENVIRONMENT_ROWS,
  ...TERMINAL_API_ROWS,
];

/** The matrix is over a private project; public and internal ones open reading, never writing. */
export const VISIBILITY_TABLE: {
  visibility: "public" | "internal";
  route: string;
  expect: Partial<Expected>;
  call(w: World, project: { id: number }): Call | Promise<Call>;
}[] = [
  ...(["public", "internal"] as const).flatMap((visibility) => {
    const anon = visibility === "public" ? 200 : 401;
    return [
      {
        visibility,
        route: "GET /api/v4/projects/:id",
        expect: { anonymous: anon, nonmember: 200, guest: 200 },
        call: (_w: World, p: { id: number }) => ({ path: `${P}/${p.id}` }),
      },
      {
        visibility,
        route: "GET /api/v4/projects/:id/pipelines",
        expect: { anonymous: anon, nonmember: 200, guest: 200 },
        call: (_w: World, p: { id: number }) => ({ path: `${P}/${p.id}/pipelines` }),
      },
      {
        visibility,
        route: "GET /api/v4/projects/:id/jobs",
        expect: { anonymous: anon, nonmember: 200 },
        call: (_w: World, p: { id: number }) => ({ path: `${P}/${p.id}/jobs` }),
      },
      {
        visibility,
        route: "POST /api/v4/projects/:id/pipeline",
        expect: { anonymous: 401, nonmember: 403, guest: 403, developer: 201 },
        call: (_w: World, p: { id: number }) => ({ path: `${P}/${p.id}/pipeline`, body: { ref: "main" } }),
      },
      {
        visibility,
        route: "GET /api/v4/projects/:id/variables",
        expect: { anonymous: 401, nonmember: 403, developer: 403, maintainer: 200 },
        call: (_w: World, p: { id: number }) => ({ path: `${P}/${p.id}/variables` }),
      },
      {
        visibility,
        route: "DELETE /api/v4/projects/:id",
        expect: { anonymous: 401, nonmember: 403, maintainer: 403 },
        call: (_w: World, p: { id: number }) => ({ path: `${P}/${p.id}` }),
      },
    ];
  }),
];

async function freshMember(w: World): Promise<number> {
  const user = await w.freshUser();
  const r = await w.t.api(`/projects/${w.project.id}/members`, {
    method: "POST",
    json: { user_id: user.id, access_level: 10 },
  });
  if (r.status !== 201) throw new Error(`could not add a member: ${r.status}`);
  return user.id;
}

async function freshVariable(w: World): Promise<string> {
  const key = unique("V_");
  const r = await w.t.api(`/projects/${w.project.id}/variables`, { method: "POST", json: { key, value: "throwaway" } });
  if (r.status !== 201) throw new Error(`could not add a variable: ${r.status}`);
  return key;
}

async function freshWebhookSecret(w: World): Promise<void> {
  const r = await w.t.api(`/projects/${w.project.id}/hooks/push/secret`, { method: "POST" });
  if (r.status !== 201) throw new Error(`could not make a webhook secret: ${r.status}`);
}

/** A schedule of the project's Owner (with variable `key` when given); returns its id. */
async function freshSchedule(w: World, key?: string): Promise<number> {
  const token = w.who.owner.token;
  const r = await w.t.api(`/projects/${w.project.id}/pipeline_schedules`, {
    method: "POST",
    json: { description: "throwaway", ref: "feature", cron: "0 4 * * *" },
    token,
  });
  if (r.status !== 201) throw new Error(`could not make a schedule: ${r.status}`);
  const id = ((await r.json()) as { id: number }).id;
  if (key)
    await w.t.api(`/projects/${w.project.id}/pipeline_schedules/${id}/variables`, {
      method: "POST",
      json: { key, value: "v" },
      token,
    });
  return id;
}

async function freshTrigger(w: World): Promise<{ id: number; token: string }> {
  const r = await w.t.api(`/projects/${w.project.id}/triggers`, { method: "POST", json: { description: "throwaway" } });
  return (await r.json()) as { id: number; token: string };
}

async function freshRunner(w: World): Promise<number> {
  const r = await w.t.api("/user/runners", {
    method: "POST",
    json: { runner_type: "instance_type", description: "throwaway" },
  });
  return ((await r.json()) as { id: number }).id;
}

async function freshProtected(w: World): Promise<string> {
  const name = `${unique("hotfix-")}/*`;
  const r = await w.t.api(`/projects/${w.project.id}/protected_branches`, { method: "POST", json: { name } });
  if (r.status !== 201) throw new Error(`could not protect a branch: ${r.status} ${await r.text()}`);
  return name;
}

let mirror: { id: number; sha: string } | undefined;
/** A project mirrored from a local repository (only admins import local paths), every role a member; made once. */
async function mirrored(w: World): Promise<{ id: number; sha: string }> {
  if (!mirror) {
    const repo = makeRepo({ ".gitlab-ci.yml": CI_CONFIG, "README.md": "hello\n" });
    repo.git("tag", "v1");
    const r = await w.t.api("/projects", { method: "POST", json: { name: unique("mirror"), import_url: repo.dir } });
    if (r.status !== 201) throw new Error(`could not mirror a repository: ${r.status} ${await r.text()}`);
    const id = ((await r.json()) as { id: number }).id;
    for (const role of ["guest", "reporter", "developer", "maintainer", "owner"] as const) {
      const added = await w.t.api(`/projects/${id}/members`, {
        method: "POST",
        json: { user_id: w.who[role].userId, access_level: LEVELS[role] },
      });
      if (added.status !== 201) throw new Error(`could not add ${role}: ${added.status}`);
    }
    mirror = { id, sha: repo.sha };
  }
  return mirror;
}
