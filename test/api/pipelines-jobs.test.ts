// Pipelines and jobs routes: lists with filters and scopes, shapes, trace, actions and who may take them.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { ROLES } from "../../src/auth/permissions.ts";
import { planJob } from "../../src/pipeline/pipeline.testing.ts";
import { repositoriesOf } from "../../src/store/repositories.ts";
import type { ProjectRow, UserRow } from "../../src/store/rows.ts";
import { jobs, pipelines } from "../../src/store/schema.ts";
import { insertTestJobs, insertTestPipeline, testJobRow } from "../../src/store/store.testing.ts";
import { type Harness, makeHarness } from "../support/api-harness.ts";

let h: Harness;
let owner: { user: UserRow; token: string };
let reporter: { user: UserRow; token: string };
let guest: { user: UserRow; token: string };
let outsider: { user: UserRow; token: string };
let p: ProjectRow;
let made: ReturnType<Harness["pipeline"]>;
beforeAll(async () => {
  h = await makeHarness();
  owner = await h.user("owner");
  reporter = await h.user("reporter");
  guest = await h.user("guest");
  outsider = await h.user("outsider");
  p = h.project(owner.user, { name: "ci" });
  h.member(p, reporter.user, ROLES.reporter);
  h.member(p, guest.user, ROLES.guest);
  h.pipeline(p, { status: "success", ref: "main", userId: owner.user.id, jobs: [{ name: "old", status: "success" }] });
  h.pipeline(p, { status: "failed", ref: "feature", userId: reporter.user.id, jobs: [] });
  made = h.pipeline(p, {
    status: "running",
    ref: "main",
    userId: owner.user.id,
    jobs: [
      { name: "build", stage: "build", status: "success", tags: ["docker", "amd64"] },
      { name: "test", stage: "test", status: "failed" },
      { name: "deploy", stage: "deploy", status: "manual" },
    ],
  });
  const now = Date.now();
  h.db
    .update(jobs)
    .set({
      queuedAt: new Date(now - 5000),
      startedAt: new Date(now - 4000),
      finishedAt: new Date(now - 1500),
      failureReason: "script_failure",
    })
    .where(eq(jobs.id, made.jobs[1]!.id))
    .run();
});
afterAll(() => h.close());

test("pipeline list: newest first by default, filters, order_by and sort", async () => {
  const ids = async (q: string) =>
    (
      (await (await h.request(`/projects/${p.id}/pipelines${q}`, { token: reporter.token })).json()) as { id: number }[]
    ).map((x) => x.id);
  const all = await ids("");
  expect(all).toEqual([...all].sort((a, b) => b - a));
  expect(all).toHaveLength(3);
  expect(await ids("?ref=feature")).toHaveLength(1);
  expect(await ids("?status=running")).toEqual([made.pipeline.id]);
  expect(await ids("?scope=finished")).toHaveLength(2);
  expect(await ids("?order_by=id&sort=asc")).toEqual([...all].reverse());
  expect(await ids(`?username=reporter`)).toHaveLength(1);
  const bad = await h.request(`/projects/${p.id}/pipelines?order_by=nope`, { token: reporter.token });
  expect(await bad.json()).toEqual({ error: "order_by does not have a valid value" });
});

test("a pipeline in GitLab's shapes (basic in lists, full alone)", async () => {
  const [basic] = await (await h.request(`/projects/${p.id}/pipelines?per_page=1`, { token: reporter.token })).json();
  expect(Object.keys(basic).sort()).toEqual([
    "created_at",
    "id",
    "iid",
    "name",
    "project_id",
    "ref",
    "sha",
    "source",
    "status",
    "updated_at",
    "web_url",
  ]);
  const full = await (
    await h.request(`/projects/${p.id}/pipelines/${made.pipeline.id}`, { token: reporter.token })
  ).json();
  expect(full).toMatchObject({
    id: made.pipeline.id,
    iid: 3,
    project_id: p.id,
    status: "running",
    ref: "main",
    tag: false,
    source: "api",
    web_url: `http://ci.test/owner/ci/-/pipelines/${made.pipeline.id}`,
    user: { username: "owner" },
    before_sha: "0000000000000000000000000000000000000000",
    detailed_status: { group: "running", text: "running" },
  });
  expect((await h.request(`/projects/${p.id}/pipelines/999999`, { token: reporter.token })).status).toBe(404);
});

test("a job has every field GitLab clients read", async () => {
  const res = await h.request(`/projects/${p.id}/jobs/${made.jobs[1]!.id}`, { token: reporter.token });
  const job = await res.json();
  expect(job).toMatchObject({
    id: made.jobs[1]!.id,
    name: "test",
    stage: "test",
    status: "failed",
    ref: "main",
    tag: false,
    coverage: null,
    allow_failure: false,
    failure_reason: "script_failure",
    erased_at: null,
    artifacts: [],
    runner: null,
    tag_list: [],
    web_url: `http://ci.test/owner/ci/-/jobs/${made.jobs[1]!.id}`,
    pipeline: { id: made.pipeline.id, project_id: p.id, ref: "main", status: "running" },
    user: { username: "owner" },
    commit: { id: "a".repeat(40), short_id: "aaaaaaaa" },
  });
  expect(job.duration).toBeCloseTo(2.5, 1);
  expect(job.queued_duration).toBeCloseTo(1, 1);
  for (const k of ["created_at", "started_at", "finished_at"]) expect(job[k]).toMatch(/Z$/);
  const build = await (await h.request(`/projects/${p.id}/jobs/${made.jobs[0]!.id}`, { token: reporter.token })).json();
  expect(build.tag_list).toEqual(["amd64", "docker"]);
  expect("failure_reason" in build).toBe(false);
  expect(build.duration).toBeNull();
});

test("job lists: pipeline jobs oldest first without retried ones, project jobs newest first, scope filters", async () => {
  h.db.update(jobs).set({ retried: true }).where(eq(jobs.id, made.jobs[0]!.id)).run();
  const names = async (path: string) =>
    ((await (await h.request(path, { token: reporter.token })).json()) as { name: string }[]).map((j) => j.name);
  expect(await names(`/projects/${p.id}/pipelines/${made.pipeline.id}/jobs`)).toEqual(["test", "deploy"]);
  expect(await names(`/projects/${p.id}/pipelines/${made.pipeline.id}/jobs?include_retried=true`)).toEqual([
    "build",
    "test",
    "deploy",
  ]);
  expect(await names(`/projects/${p.id}/jobs`)).toEqual(["deploy", "test", "build", "old"]);
  expect(await names(`/projects/${p.id}/jobs?scope[]=failed&scope[]=manual`)).toEqual(["deploy", "test"]);
  expect(await names(`/projects/${p.id}/jobs?scope=success`)).toEqual(["build", "old"]);
  const bad = await h.request(`/projects/${p.id}/jobs?scope[]=bogus`, { token: reporter.token });
  expect([bad.status, (await bad.json()).error]).toEqual([400, "scope[0] does not have a valid value"]);
  h.db.update(jobs).set({ retried: false }).where(eq(jobs.id, made.jobs[0]!.id)).run();
});

test("the trace is the raw log as text/plain", async () => {
  const log = "Running with porthole\r\n\x1b[32;1m$ echo hi\x1b[0;m\nhi\n";
  h.traces.append(made.jobs[1]!.id, new TextEncoder().encode(log));
  const res = await h.request(`/projects/${p.id}/jobs/${made.jobs[1]!.id}/trace`, { token: reporter.token });
  expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(await res.text()).toBe(log);
});

test("who sees what: guests see the project but not pipelines (403); outsiders get 404", async () => {
  expect((await h.request(`/projects/${p.id}`, { token: guest.token })).status).toBe(200);
  expect((await h.request(`/projects/${p.id}/pipelines`, { token: guest.token })).status).toBe(403);
  expect((await h.request(`/projects/${p.id}/jobs/${made.jobs[1]!.id}/trace`, { token: guest.token })).status).toBe(
    403,
  );
  const hidden = await h.request(`/projects/${p.id}/jobs/${made.jobs[1]!.id}`, { token: outsider.token });
  expect([hidden.status, await hidden.json()]).toEqual([404, { message: "404 Project Not Found" }]);
  const other = h.project(outsider.user, { name: "theirs" });
  const cross = await h.request(`/projects/${other.id}/jobs/${made.jobs[1]!.id}`, { token: outsider.token });
  expect([cross.status, await cross.json()]).toEqual([404, { message: "404 Job Not Found" }]);
});

const CI = `
stages: [build, deploy]
build:
  stage: build
  script: [echo build]
release:
  stage: deploy
  needs: []
  when: manual
  script: [echo release]
`;

test("creating a pipeline stores ref, source, user and variables (JSON list or Rack form); bad input is 400", async () => {
  const q = h.project(owner.user, { name: "real", ci_config: CI });
  const res = await h.request(`/projects/${q.id}/pipeline`, {
    token: owner.token,
    json: {
      ref: "main",
      variables: [
        { key: "A", value: "1" },
        { key: "B", value: 2 },
      ],
    },
  });
  expect(res.status).toBe(201);
  const made = await res.json();
  expect(made).toMatchObject({ ref: "main", source: "api", user: { username: "owner" }, project_id: q.id });
  const row = h.db.select().from(pipelines).where(eq(pipelines.id, made.id)).get()!;
  expect(row.variables).toEqual([
    { key: "A", value: "1" },
    { key: "B", value: "2" },
  ]);
  const form = await h.request(`/projects/${q.id}/pipeline`, {
    token: owner.token,
    form: { ref: "main", "variables[][key]": "K", "variables[][value]": "V" },
  });
  const formRow = h.db
    .select()
    .from(pipelines)
    .where(eq(pipelines.id, (await form.json()).id))
    .get()!;
  expect(formRow.variables).toEqual([{ key: "K", value: "V" }]);
  expect(await (await h.request(`/projects/${q.id}/pipeline`, { token: owner.token, json: {} })).json()).toEqual({
    error: "ref is missing",
  });
  const badVar = await h.request(`/projects/${q.id}/pipeline`, {
    token: owner.token,
    json: { ref: "main", variables: [{ key: "no spaces", value: "1" }] },
  });
  expect(badVar.status).toBe(400);
  expect((await h.request(`/projects/${q.id}/pipeline`, { token: reporter.token, json: { ref: "main" } })).status).toBe(
    404,
  );
  h.member(q, reporter.user, ROLES.reporter);
  expect((await h.request(`/projects/${q.id}/pipeline`, { token: reporter.token, json: { ref: "main" } })).status).toBe(
    403,
  );
});

test("cancel, retry and play need Developer; delete needs Owner; each does what it says", async () => {
  const q = h.project(owner.user, { name: "actions", ci_config: CI });
  h.member(q, reporter.user, ROLES.reporter);
  const { id: pid } = await (
    await h.request(`/projects/${q.id}/pipeline`, { token: owner.token, json: { ref: "main" } })
  ).json();
  const jobsOf = async () =>
    Object.fromEntries(
      (
        (await (await h.request(`/projects/${q.id}/pipelines/${pid}/jobs`, { token: owner.token })).json()) as {
          id: number;
          name: string;
          status: string;
        }[]
      ).map((j) => [j.name, j]),
    );
  const { build, release } = await jobsOf();
  expect([build!.status, release!.status]).toEqual(["pending", "manual"]);
  expect(
    (await h.request(`/projects/${q.id}/jobs/${build!.id}/cancel`, { token: reporter.token, method: "POST" })).status,
  ).toBe(403);

  const played = await h.request(`/projects/${q.id}/jobs/${release!.id}/play`, {
    token: owner.token,
    json: { job_variables_attributes: [{ key: "WHO", value: "me" }] },
  });
  expect([played.status, (await played.json()).status]).toEqual([200, "pending"]);
  const canceled = await h.request(`/projects/${q.id}/jobs/${build!.id}/cancel`, {
    token: owner.token,
    method: "POST",
  });
  expect([canceled.status, (await canceled.json()).status]).toEqual([201, "canceled"]);
  const retried = await (
    await h.request(`/projects/${q.id}/jobs/${build!.id}/retry`, { token: owner.token, method: "POST" })
  ).json();
  expect(retried.id).not.toBe(build!.id);
  expect([retried.name, retried.status]).toEqual(["build", "pending"]);
  expect((await jobsOf()).build!.id).toBe(retried.id);

  const pc = await h.request(`/projects/${q.id}/pipelines/${pid}/cancel`, { token: owner.token, method: "POST" });
  expect([pc.status, (await pc.json()).status]).toEqual([201, "canceled"]);
  const pr = await h.request(`/projects/${q.id}/pipelines/${pid}/retry`, { token: owner.token, method: "POST" });
  expect(pr.status).toBe(201);
  expect((await pr.json()).status).not.toBe("canceled");

  const dev = await h.user("dev");
  h.member(q, dev.user, ROLES.developer);
  expect((await h.request(`/projects/${q.id}/pipelines/${pid}`, { token: dev.token, method: "DELETE" })).status).toBe(
    403,
  );
  expect((await h.request(`/projects/${q.id}/pipelines/${pid}`, { token: owner.token, method: "DELETE" })).status).toBe(
    204,
  );
  expect((await h.request(`/projects/${q.id}/pipelines/${pid}`, { token: owner.token })).status).toBe(404);
});

test("CI lint answers GitLab's shape for valid and invalid content", async () => {
  const lint = async (content: string) =>
    (await h.request(`/projects/${p.id}/ci/lint`, { token: reporter.token, json: { content } })).json();
  expect(await lint(CI)).toMatchObject({ valid: true, errors: [], warnings: [], includes: [] });
  const bad = await lint("build:\n  script: [x]\n  scriptt: [x]\n");
  expect(bad.valid).toBe(false);
  expect(bad.errors.join("\n")).toContain("scriptt");
  expect((await h.request(`/projects/${p.id}/ci/lint`, { token: guest.token, json: { content: CI } })).status).toBe(
    403,
  );
});

test("a pipeline at the job limit lists its jobs page by page with GitLab's headers, at most 100 a page", async () => {
  const repos = repositoriesOf(h.db);
  const pipeline = insertTestPipeline(repos, p.id, { iid: 1000 });
  const specs = Array.from({ length: 1000 }, (_, i) => planJob(`job-${i}`, Math.floor(i / 100)));
  insertTestJobs(
    h.db,
    specs.map((spec) => testJobRow(pipeline, spec, reporter.user.id)),
  );
  const path = `/projects/${p.id}/pipelines/${pipeline.id}/jobs`;
  const page = async (query: string) => {
    const res = await h.request(`${path}?${query}`, { token: reporter.token });
    const names = ((await res.json()) as { name: string }[]).map((j) => j.name);
    const header = (k: string) => res.headers.get(k);
    return { names, headers: [header("x-page"), header("x-per-page"), header("x-total"), header("x-total-pages")] };
  };
  const third = await page("per_page=50&page=3");
  expect(third.names).toEqual(specs.slice(100, 150).map((s) => s.name));
  expect(third.headers).toEqual(["3", "50", "1000", "20"]);
  const capped = await page("per_page=1000&page=10");
  expect(capped.names).toEqual(specs.slice(900).map((s) => s.name));
  expect(capped.headers).toEqual(["10", "100", "1000", "10"]);
  const res = await h.request(`${path}?per_page=100&page=10`, { token: reporter.token });
  expect([res.headers.get("x-next-page"), res.headers.get("x-prev-page")]).toEqual(["", "9"]);
  expect(res.headers.get("link")).toContain(`${path}?per_page=100&page=9>; rel="prev"`);
});
