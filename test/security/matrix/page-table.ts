// The page half of the permission matrix: every page route with the status each actor must get.
import { eq } from "drizzle-orm";
import { createWebSession } from "../../../src/auth/web-sessions.ts";
import { variables } from "../../../src/store/schema.ts";
import { ARTIFACT_PAGE_ROWS } from "./artifact-rows.ts";
import { ENVIRONMENT_PAGE_ROWS } from "./environment-rows.ts";
import { adminOnly, anyone, type Expected, page, signedIn } from "./expect.ts";
import { TERMINAL_PAGE_ROWS } from "./terminal-page-rows.ts";
import { CI_CONFIG, unique, type Who, type World } from "./world.ts";

export interface FormCall {
  path: string;
  /** Form fields for POST (the CSRF token is added). */
  form?: Record<string, string>;
  /** A JSON body for POST, sent with the CSRF token as `X-CSRF-Token`. */
  json?: Record<string, unknown>;
  /** Replaces the actor's usual session (for signing out). */
  session?: { cookie: string; csrf: string };
}

export interface PageRow {
  route: string;
  expect: Expected;
  call(w: World, who: Who): FormCall | Promise<FormCall>;
}

const base = (w: World) => `/${w.project.path}`;
const signedInWho = (who: Who) => (who === "anonymous" ? "owner" : who);
let pipelineForReading: { id: number; job: number } | undefined;
async function readable(w: World) {
  if (!pipelineForReading) {
    const p = await w.freshPipeline();
    pipelineForReading = { id: p.id, job: p.jobs[0]!.id };
  }
  return pipelineForReading;
}
const freshJob = async (w: World, name = "build") => (await w.freshPipeline()).jobs.find((j) => j.name === name)!.id;

export const PAGE_TABLE: PageRow[] = [
  // Operators' endpoints: no sign-in, the caller's address decides (the test runs on loopback, which is allowed).
  { route: "GET /-/health", expect: anyone(200), call: () => ({ path: "/-/health" }) },
  { route: "GET /-/liveness", expect: anyone(200), call: () => ({ path: "/-/liveness" }) },
  { route: "GET /-/readiness", expect: anyone(200), call: () => ({ path: "/-/readiness" }) },
  { route: "GET /-/metrics", expect: anyone(200), call: () => ({ path: "/-/metrics" }) },
  {
    route: "GET /-/assets/*",
    expect: anyone(200),
    call: async (w) => ({
      path: /\/-\/assets\/[^"]+\.css/.exec(await (await fetch(`${w.t.url}/users/sign_in`)).text())![0],
    }),
  },
  { route: "GET /favicon.ico", expect: anyone(301), call: () => ({ path: "/favicon.ico" }) },
  { route: "GET /users/sign_in", expect: signedIn(302, 200), call: () => ({ path: "/users/sign_in" }) },
  {
    route: "POST /users/sign_in",
    expect: anyone(401),
    call: () => ({
      path: "/users/sign_in",
      form: { "user[login]": unique("nobody"), "user[password]": "wrong-password" },
    }),
  },
  {
    route: "POST /users/sign_out",
    expect: anyone(303),
    call: (w, who) => ({ path: "/users/sign_out", session: who === "anonymous" ? undefined : w.freshSession(who) }),
  },
  {
    route: "GET /-/user_settings/personal_access_tokens",
    expect: signedIn(200, 302),
    call: () => ({ path: "/-/user_settings/personal_access_tokens" }),
  },
  {
    route: "POST /-/user_settings/personal_access_tokens",
    expect: signedIn(201, 302),
    call: () => ({ path: "/-/user_settings/personal_access_tokens", form: { name: "page", "scopes[]": "read_api" } }),
  },
  {
    route: "POST /-/user_settings/personal_access_tokens/:id{[0-9]+}/revoke",
    expect: signedIn(303, 302),
    call: (w, who) => ({ path: `/-/user_settings/personal_access_tokens/${w.freshToken(signedInWho(who)).id}/revoke` }),
  },
  {
    route: "GET /-/user_settings/profile",
    expect: signedIn(200, 302),
    call: () => ({ path: "/-/user_settings/profile" }),
  },
  {
    // A wrong current password: the form is refused (422) for every signed-in user; the change itself is
    // covered by test/security/own-password.test.ts.
    route: "POST /-/user_settings/profile/password",
    expect: signedIn(422, 302),
    call: () => ({
      path: "/-/user_settings/profile/password",
      form: {
        current_password: "not-the-password",
        password: "new-password-1",
        password_confirmation: "new-password-1",
      },
    }),
  },
  {
    // Signs a throwaway user out everywhere, so the actors' own sessions survive for the rest of the matrix.
    route: "POST /-/user_settings/profile/sign_out_everywhere",
    expect: signedIn(303, 302),
    call: async (w, who) => {
      if (who === "anonymous") return { path: "/-/user_settings/profile/sign_out_everywhere" };
      const s = createWebSession(w.t.porthole.store.db, (await w.freshUser()).id, {});
      return {
        path: "/-/user_settings/profile/sign_out_everywhere",
        session: { cookie: `_porthole_session=${s.cookieValue}`, csrf: s.csrfToken },
      };
    },
  },
  { route: "GET /admin", expect: adminOnly(200, 302), call: () => ({ path: "/admin" }) },
  { route: "GET /admin/users", expect: adminOnly(200, 302), call: () => ({ path: "/admin/users" }) },
  {
    route: "POST /admin/users",
    expect: adminOnly(303, 302),
    call: () => ({
      path: "/admin/users",
      form: { username: unique("p"), name: "P", email: `${unique("p")}@x.test`, password: "long-enough-1" },
    }),
  },
  {
    route: "POST /admin/users/:id{[0-9]+}/block",
    expect: adminOnly(303, 302),
    call: async (w) => ({ path: `/admin/users/${(await w.freshUser()).id}/block` }),
  },
  {
    route: "POST /admin/users/:id{[0-9]+}/unblock",
    expect: adminOnly(303, 302),
    call: async (w) => ({ path: `/admin/users/${(await w.freshUser()).id}/unblock` }),
  },
  // Git over HTTP answers git's Basic challenge: browser sessions do not open a private project's repository.
  {
    route: "GET /:namespace/:repo{[^/]+\\.git}/info/refs",
    expect: anyone(401),
    call: (w) => ({ path: `${base(w)}.git/info/refs?service=git-upload-pack` }),
  },
  {
    route: "POST /:namespace/:repo{[^/]+\\.git}/git-upload-pack",
    expect: anyone(401),
    call: (w) => ({ path: `${base(w)}.git/git-upload-pack`, form: {} }),
  },
  {
    route: "POST /:namespace/:repo{[^/]+\\.git}/git-receive-pack",
    expect: anyone(401),
    call: (w) => ({ path: `${base(w)}.git/git-receive-pack`, form: {} }),
  },
  { route: "GET /admin/runners", expect: adminOnly(200, 302), call: () => ({ path: "/admin/runners" }) },
  {
    route: "POST /admin/runners",
    expect: adminOnly(201, 302),
    call: () => ({ path: "/admin/runners", form: { description: "page runner", tags: "", run_untagged: "on" } }),
  },
  ...(["pause", "resume", "delete"] as const).map((action) => ({
    route: `POST /admin/runners/:id{[0-9]+}/${action}`,
    expect: adminOnly(303, 302),
    call: async (w: World) => ({ path: `/admin/runners/${await freshRunner(w)}/${action}` }),
  })),
  {
    route: "GET /admin/terminal_sessions",
    expect: adminOnly(200, 302),
    call: () => ({ path: "/admin/terminal_sessions" }),
  },
  { route: "GET /-/ui/events", expect: signedIn(200, 302), call: () => ({ path: "/-/ui/events" }) },
  // Badges answer everyone; those who may not see the project get `unknown`, never a hint that it exists.
  {
    route: "GET /:namespace/:project/badges/:ref{.+}/pipeline.svg",
    expect: anyone(200),
    call: (w) => ({ path: `${base(w)}/badges/main/pipeline.svg` }),
  },
  {
    route: "GET /:namespace/:project/-/pipelines",
    expect: page("reporter"),
    call: (w) => ({ path: `${base(w)}/-/pipelines` }),
  },
  {
    route: "GET /:namespace/:project/-/jobs",
    expect: page("reporter"),
    call: (w) => ({ path: `${base(w)}/-/jobs` }),
  },
  {
    route: "GET /:namespace/:project/-/pipelines/new",
    expect: page("developer"),
    call: (w) => ({ path: `${base(w)}/-/pipelines/new` }),
  },
  {
    route: "POST /:namespace/:project/-/pipelines",
    expect: page("developer", 303),
    call: (w) => ({ path: `${base(w)}/-/pipelines`, form: { ref: "main" } }),
  },
  {
    route: "GET /:namespace/:project/-/pipelines/:id{[0-9]+}",
    expect: page("reporter"),
    call: async (w) => ({ path: `${base(w)}/-/pipelines/${(await readable(w)).id}` }),
  },
  {
    route: "POST /:namespace/:project/-/pipelines/:id{[0-9]+}/cancel",
    expect: page("developer", 303),
    call: async (w) => ({ path: `${base(w)}/-/pipelines/${(await w.freshPipeline()).id}/cancel` }),
  },
  {
    route: "POST /:namespace/:project/-/pipelines/:id{[0-9]+}/retry",
    expect: page("developer", 303),
    call: async (w) => {
      const p = await w.freshPipeline();
      w.setJobStatus(p.jobs[0]!.id, "failed");
      return { path: `${base(w)}/-/pipelines/${p.id}/retry` };
    },
  },
  {
    route: "POST /:namespace/:project/-/pipelines/:id{[0-9]+}/delete",
    expect: page("owner", 303),
    call: async (w) => ({ path: `${base(w)}/-/pipelines/${(await w.freshPipeline()).id}/delete` }),
  },
  {
    route: "GET /:namespace/:project/-/jobs/:id{[0-9]+}",
    expect: page("reporter"),
    call: async (w) => ({ path: `${base(w)}/-/jobs/${(await readable(w)).job}` }),
  },
  {
    route: "GET /:namespace/:project/-/jobs/:id{[0-9]+}/raw",
    expect: page("reporter"),
    call: async (w) => ({ path: `${base(w)}/-/jobs/${(await readable(w)).job}/raw` }),
  },
  {
    route: "GET /:namespace/:project/-/jobs/:id{[0-9]+}/log_chunk",
    expect: page("reporter"),
    call: async (w) => ({ path: `${base(w)}/-/jobs/${(await readable(w)).job}/log_chunk?to=0` }),
  },
  {
    route: "GET /:namespace/:project/-/jobs/:id{[0-9]+}/log.sse",
    expect: page("reporter"),
    call: async (w) => ({ path: await streamUrl(w) }),
  },
  {
    route: "POST /:namespace/:project/-/jobs/:id{[0-9]+}/cancel",
    expect: page("developer", 303),
    call: async (w) => ({ path: `${base(w)}/-/jobs/${await freshJob(w)}/cancel` }),
  },
  {
    route: "POST /:namespace/:project/-/jobs/:id{[0-9]+}/retry",
    expect: page("developer", 303),
    call: async (w) => {
      const job = await freshJob(w);
      w.setJobStatus(job, "failed");
      return { path: `${base(w)}/-/jobs/${job}/retry` };
    },
  },
  // Continue needs open_terminal: a Developer only on jobs they started (the owner started this one).
  {
    route: "POST /:namespace/:project/-/jobs/:id{[0-9]+}/continue",
    expect: page("maintainer", 303),
    call: async (w) => ({ path: `${base(w)}/-/jobs/${await freshJob(w)}/continue` }),
  },
  {
    route: "POST /:namespace/:project/-/jobs/:id{[0-9]+}/play",
    expect: page("developer", 303),
    call: async (w) => ({ path: `${base(w)}/-/jobs/${await freshJob(w, "deploy")}/play` }),
  },
  {
    route: "GET /:namespace/:project/-/settings/ci_cd",
    expect: page("maintainer"),
    call: (w) => ({ path: `${base(w)}/-/settings/ci_cd` }),
  },
  {
    route: "POST /:namespace/:project/-/settings/ci_cd/source",
    expect: page("maintainer", 303),
    call: (w) => ({
      path: `${base(w)}/-/settings/ci_cd/source`,
      form: { ci_config: CI_CONFIG, import_url: "", ci_config_path: ".gitlab-ci.yml", default_branch: "main" },
    }),
  },
  {
    route: "POST /:namespace/:project/-/settings/ci_cd/webhook",
    expect: page("maintainer", 201),
    call: (w) => ({ path: `${base(w)}/-/settings/ci_cd/webhook`, form: {} }),
  },
  {
    route: "POST /:namespace/:project/-/settings/ci_cd/webhook/delete",
    expect: page("maintainer", 303),
    call: async (w) => {
      await w.t.api(`/projects/${w.project.id}/hooks/push/secret`, { method: "POST" });
      return { path: `${base(w)}/-/settings/ci_cd/webhook/delete`, form: {} };
    },
  },
  {
    route: "POST /:namespace/:project/-/settings/ci_cd/webhook/poll",
    expect: page("maintainer", 303),
    call: (w) => ({ path: `${base(w)}/-/settings/ci_cd/webhook/poll`, form: { mirror_poll_interval: "" } }),
  },
  {
    route: "POST /:namespace/:project/-/settings/ci_cd/debug",
    expect: page("maintainer", 303),
    call: (w) => ({ path: `${base(w)}/-/settings/ci_cd/debug`, form: { debug_on_failure: "" } }),
  },
  {
    route: "GET /:namespace/:project/-/pipeline_schedules",
    expect: page("reporter"),
    call: (w) => ({ path: `${base(w)}/-/pipeline_schedules` }),
  },
  {
    route: "GET /:namespace/:project/-/pipeline_schedules/new",
    expect: page("developer"),
    call: (w) => ({ path: `${base(w)}/-/pipeline_schedules/new` }),
  },
  {
    route: "POST /:namespace/:project/-/pipeline_schedules",
    expect: page("developer", 303),
    call: (w) => ({
      path: `${base(w)}/-/pipeline_schedules`,
      form: { description: "page", ref: "feature", cron: "0 4 * * *", cron_timezone: "UTC", active: "1" },
    }),
  },
  // A schedule is edited by its owner (the project's Owner here) or a Maintainer.
  {
    route: "GET /:namespace/:project/-/pipeline_schedules/:id{[0-9]+}/edit",
    expect: page("maintainer"),
    call: async (w) => ({ path: `${base(w)}/-/pipeline_schedules/${await freshSchedule(w)}/edit` }),
  },
  {
    route: "POST /:namespace/:project/-/pipeline_schedules/:id{[0-9]+}",
    expect: page("maintainer", 303),
    call: async (w) => ({
      path: `${base(w)}/-/pipeline_schedules/${await freshSchedule(w)}`,
      form: { description: "edited", ref: "feature", cron: "0 5 * * *", cron_timezone: "UTC" },
    }),
  },
  {
    route: "POST /:namespace/:project/-/pipeline_schedules/:id{[0-9]+}/play",
    expect: page("developer", 303),
    call: async (w) => ({ path: `${base(w)}/-/pipeline_schedules/${await freshSchedule(w)}/play`, form: {} }),
  },
  {
    route: "POST /:namespace/:project/-/pipeline_schedules/:id{[0-9]+}/delete",
    expect: page("maintainer", 303),
    call: async (w) => ({ path: `${base(w)}/-/pipeline_schedules/${await freshSchedule(w)}/delete`, form: {} }),
  },
  {
    route: "POST /:namespace/:project/-/settings/ci_cd/reset_cache",
    expect: page("maintainer", 303),
    call: (w) => ({ path: `${base(w)}/-/settings/ci_cd/reset_cache` }),
  },
  {
    route: "POST /:namespace/:project/-/settings/ci_cd/triggers",
    expect: page("maintainer", 201),
    call: (w) => ({ path: `${base(w)}/-/settings/ci_cd/triggers`, form: { description: "page" } }),
  },
  {
    route: "POST /:namespace/:project/-/settings/ci_cd/triggers/:id{[0-9]+}/delete",
    expect: page("maintainer", 303),
    call: async (w) => ({ path: `${base(w)}/-/settings/ci_cd/triggers/${await freshTrigger(w)}/delete` }),
  },
  {
    route: "POST /:namespace/:project/-/settings/ci_cd/variables",
    expect: page("maintainer", 303),
    call: (w) => ({ path: `${base(w)}/-/settings/ci_cd/variables`, form: { key: unique("PV_"), value: "v" } }),
  },
  {
    route: "GET /:namespace/:project/-/settings/ci_cd/variables/:id{[0-9]+}/edit",
    expect: page("maintainer"),
    call: async (w) => ({ path: `${base(w)}/-/settings/ci_cd/variables/${await freshVariable(w)}/edit` }),
  },
  {
    route: "POST /:namespace/:project/-/settings/ci_cd/variables/:id{[0-9]+}",
    expect: page("maintainer", 303),
    call: async (w) => ({
      path: `${base(w)}/-/settings/ci_cd/variables/${await freshVariable(w)}`,
      form: { key: unique("PW_"), value: "w" },
    }),
  },
  {
    route: "POST /:namespace/:project/-/settings/ci_cd/variables/:id{[0-9]+}/delete",
    expect: page("maintainer", 303),
    call: async (w) => ({ path: `${base(w)}/-/settings/ci_cd/variables/${await freshVariable(w)}/delete` }),
  },
  {
    route: "GET /:namespace/:project/-/project_members",
    expect: page("guest"),
    call: (w) => ({ path: `${base(w)}/-/project_members` }),
  },
  {
    route: "POST /:namespace/:project/-/project_members",
    expect: page("maintainer", 303),
    call: async (w) => ({
      path: `${base(w)}/-/project_members`,
      form: { username: (await w.freshUser()).username, access_level: "30" },
    }),
  },
  {
    route: "POST /:namespace/:project/-/project_members/:id{[0-9]+}",
    expect: page("maintainer", 303),
    call: async (w) => ({ path: `${base(w)}/-/project_members/${await freshMember(w)}`, form: { access_level: "20" } }),
  },
  {
    route: "POST /:namespace/:project/-/project_members/:id{[0-9]+}/delete",
    expect: page("maintainer", 303),
    call: async (w) => ({ path: `${base(w)}/-/project_members/${await freshMember(w)}/delete` }),
  },
  { route: "GET /", expect: signedIn(200, 302), call: () => ({ path: "/" }) },
  { route: "GET /projects/new", expect: signedIn(200, 302), call: () => ({ path: "/projects/new" }) },
  {
    route: "POST /projects",
    expect: signedIn(303, 302),
    call: () => ({
      path: "/projects",
      form: { name: unique("pp"), visibility: "private", source: "yaml", ci_config: CI_CONFIG },
    }),
  },
  {
    route: "POST /-/ui/ci/lint",
    expect: signedIn(200, 302),
    call: () => ({ path: "/-/ui/ci/lint", json: { content: CI_CONFIG } }),
  },
  { route: "GET /:namespace/:project", expect: page("guest"), call: (w) => ({ path: base(w) }) },
  // The pipeline editor, log search and user profiles.
  {
    route: "GET /:namespace/:project/-/ci/editor",
    expect: page("reporter"),
    call: (w) => ({ path: `${base(w)}/-/ci/editor` }),
  },
  {
    route: "POST /:namespace/:project/-/ci/editor",
    expect: page("reporter"),
    call: (w) => ({ path: `${base(w)}/-/ci/editor`, form: { content: CI_CONFIG } }),
  },
  {
    route: "POST /:namespace/:project/-/ci/editor/save",
    expect: page("maintainer", 303),
    call: (w) => ({ path: `${base(w)}/-/ci/editor/save`, form: { content: CI_CONFIG } }),
  },
  {
    route: "GET /:namespace/:project/-/ci/lint",
    expect: page("reporter", 301),
    call: (w) => ({ path: `${base(w)}/-/ci/lint` }),
  },
  {
    route: "GET /:namespace/:project/-/jobs/:id{[0-9]+}/log_search",
    expect: page("reporter"),
    call: async (w) => ({ path: `${base(w)}/-/jobs/${(await readable(w)).job}/log_search?q=x` }),
  },
  { route: "GET /:username", expect: signedIn(200, 302), call: (w) => ({ path: `/${w.project.namespace}` }) },
  ...ARTIFACT_PAGE_ROWS,
  ...ENVIRONMENT_PAGE_ROWS,
  ...TERMINAL_PAGE_ROWS,
];

/** The job page's live log URL (with its resume token), as the owner's browser would follow it. */
async function streamUrl(w: World): Promise<string> {
  const html = await (
    await fetch(`${w.t.url}${base(w)}/-/jobs/${(await readable(w)).job}`, { headers: { Cookie: w.who.owner.cookie } })
  ).text();
  return /data-stream="([^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&");
}

async function freshRunner(w: World): Promise<number> {
  const r = await w.t.api("/user/runners", {
    method: "POST",
    json: { runner_type: "instance_type", description: "throwaway" },
  });
  return ((await r.json()) as { id: number }).id;
}

/** A schedule of the project's Owner on an unprotected branch; returns its id. */
async function freshSchedule(w: World): Promise<number> {
  const r = await w.t.api(`/projects/${w.project.id}/pipeline_schedules`, {
    method: "POST",
    json: { description: "throwaway", ref: "feature", cron: "0 4 * * *" },
    token: w.who.owner.token,
  });
  if (r.status !== 201) throw new Error(`could not make a schedule: ${r.status}`);
  return ((await r.json()) as { id: number }).id;
}

async function freshTrigger(w: World): Promise<number> {
  const r = await w.t.api(`/projects/${w.project.id}/triggers`, { method: "POST", json: { description: "throwaway" } });
  return ((await r.json()) as { id: number }).id;
}

async function freshVariable(w: World): Promise<number> {
  const key = unique("PX_");
  await w.t.api(`/projects/${w.project.id}/variables`, { method: "POST", json: { key, value: "throwaway" } });
  return w.t.porthole.store.db.select({ id: variables.id }).from(variables).where(eq(variables.key, key)).get()!.id;
}

async function freshMember(w: World): Promise<number> {
  const user = await w.freshUser();
  await w.t.api(`/projects/${w.project.id}/members`, { method: "POST", json: { user_id: user.id, access_level: 10 } });
  return user.id;
}
