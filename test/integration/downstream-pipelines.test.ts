// `trigger:` end to end: child and multi-project pipelines run by the embedded shell runner, on a real SQLite store,
// checked over HTTP as a user would (the pipelines, their bridges and their jobs' logs), python-gitlab included.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { ROLES } from "../../src/auth/permissions.ts";
import { createPersonalAccessToken } from "../../src/auth/tokens.ts";
import { insertTestUser } from "../../src/auth/users.testing.ts";
import { apiFetch } from "../support/api-fetch.ts";
import { makeRepo } from "../support/git-repo.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { pythonGitlabAvailable, runPython } from "../support/python-gitlab.ts";
import { TerminalClient, terminalWsUrl, upgradeStatus } from "../support/terminal-client.ts";
import { waitFor } from "../support/wait.ts";
import { webSession } from "../support/web-session.ts";

type Pipeline = { id: number; status: string; source: string; ref: string; sha: string; project_id: number };
type Job = { id: number; name: string; status: string; failure_reason?: string };
type Bridge = Job & { downstream_pipeline: (Pipeline & { web_url: string }) | null };

const FINISHED = ["success", "failed", "canceled", "skipped"];
const havePythonGitlab = pythonGitlabAvailable();

let t: TestPorthole;
let dev: { id: number; token: string };
const dirs: string[] = [];
const marker = Math.random().toString(36).slice(2, 8);

beforeAll(async () => {
  t = await startTestPorthole({ runner: { concurrent: 2 } });
  const user = insertTestUser(t.porthole.store.db, { username: `dev${marker}` });
  const { token } = createPersonalAccessToken(t.porthole.store.db, { userId: user.id, name: "t", scopes: ["api"] });
  dev = { id: user.id, token };
});
afterAll(async () => {
  await t?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const as = (token: string) => (path: string, init?: Parameters<typeof apiFetch>[3]) =>
  apiFetch(t.url, token, path, init);

/**
 * A private project of root's holding `files`, with `dev` as a member at `level` (none when 0). `main` is protected
 * (the default branch): pipelines there need a Maintainer.
 */
async function project(name: string, files: Record<string, string>, level: number) {
  const repo = makeRepo(files);
  dirs.push(repo.dir);
  const res = await t.api("/projects", { method: "POST", json: { name: `${name}${marker}`, import_url: repo.dir } });
  const p = (await res.json()) as { id: number; path_with_namespace: string };
  if (level > 0) {
    const added = await t.api(`/projects/${p.id}/members`, {
      method: "POST",
      json: { user_id: dev.id, access_level: level },
    });
    expect(added.status).toBe(201);
  }
  return p;
}

async function run(projectId: number, variables: { key: string; value: string }[] = []): Promise<Pipeline> {
  const res = await as(dev.token)(`/projects/${projectId}/pipeline`, {
    method: "POST",
    json: { ref: "main", variables },
  });
  if (res.status !== 201) throw new Error(`pipeline: ${res.status} ${await res.text()}`);
  return (await res.json()) as Pipeline;
}

async function settled(projectId: number, pipelineId: number): Promise<Pipeline> {
  return waitFor(
    `pipeline ${pipelineId} to finish`,
    async () => {
      const p = (await (await t.api(`/projects/${projectId}/pipelines/${pipelineId}`)).json()) as Pipeline;
      return FINISHED.includes(p.status) && p;
    },
    90_000,
  );
}

const bridges = async (projectId: number, pipelineId: number) =>
  (await (await t.api(`/projects/${projectId}/pipelines/${pipelineId}/bridges`)).json()) as Bridge[];
const jobs = async (projectId: number, pipelineId: number) =>
  (await (await t.api(`/projects/${projectId}/pipelines/${pipelineId}/jobs`)).json()) as Job[];
const log = async (projectId: number, jobId: number) =>
  (await t.api(`/projects/${projectId}/jobs/${jobId}/trace`)).text();

test("a strategy: depend child that fails fails its bridge and so the parent; later stages are skipped", async () => {
  const p = await project(
    "parent",
    {
      ".gitlab-ci.yml":
        "stages: [test, deploy]\nchild:\n  stage: test\n  trigger:\n    include: ci/failing.yml\n    strategy: depend\nafter:\n  stage: deploy\n  script: [echo never]\n",
      "ci/failing.yml": 'fails:\n  script:\n    - echo "child of $CI_PIPELINE_SOURCE"\n    - exit 3\n',
    },
    ROLES.maintainer,
  );
  const parent = await run(p.id);
  expect((await settled(p.id, parent.id)).status).toBe("failed");
  const [bridge] = await bridges(p.id, parent.id);
  expect(bridge).toMatchObject({ name: "child", status: "failed", stage: "test" });
  const child = bridge!.downstream_pipeline!;
  expect(child).toMatchObject({ status: "failed", source: "parent_pipeline", ref: "main", sha: parent.sha });
  expect(child.web_url).toEndWith(`/-/pipelines/${child.id}`);
  // The pipeline's jobs list has builds only (GitLab's); the bridge is not a job of the job endpoints.
  expect((await jobs(p.id, parent.id)).map((j) => [j.name, j.status])).toEqual([["after", "skipped"]]);
  expect((await t.api(`/projects/${p.id}/jobs/${bridge!.id}`)).status).toBe(404);
  const [fails] = await jobs(p.id, child.id);
  expect(fails).toMatchObject({ name: "fails", status: "failed", failure_reason: "script_failure" });
  expect(await log(p.id, fails!.id)).toContain("child of parent_pipeline");
  // The project's pipeline list leaves children out, as GitLab's does, unless asked for by source.
  const listed = async (query: string) =>
    ((await (await t.api(`/projects/${p.id}/pipelines${query}`)).json()) as Pipeline[]).map((x) => x.id);
  expect(await listed("")).toEqual([parent.id]);
  expect(await listed("?source=parent_pipeline")).toEqual([child.id]);
  const latest = (await (await t.api(`/projects/${p.id}/pipelines/latest?ref=main`)).json()) as Pipeline;
  expect(latest.id).toBe(parent.id);
  // Retrying the parent retries its failed bridge, which makes a new child; the old bridge stays listed.
  expect((await as(dev.token)(`/projects/${p.id}/pipelines/${parent.id}/retry`, { method: "POST" })).status).toBe(201);
  const again = await waitFor("the retried bridge's child", async () => {
    const list = await bridges(p.id, parent.id);
    return list.length === 2 && list[1]!.downstream_pipeline && list;
  });
  expect(again[1]!.downstream_pipeline!.id).not.toBe(child.id);
  expect(again[0]!.downstream_pipeline!.id).toBe(child.id);
  expect((await settled(p.id, parent.id)).status).toBe("failed");
}, 120_000);

test("variables reach the child: YAML ones by default, pipeline ones with forward:pipeline_variables", async () => {
  const child = 'show:\n  script:\n    - echo "seen [$GLOBAL_VAR] [$BRIDGE_VAR] [$PIPE_VAR] [$CHILD_OWN]"\n';
  const p = await project(
    "vars",
    {
      ".gitlab-ci.yml": [
        "variables:\n  GLOBAL_VAR: global-value\n",
        "yaml-only:\n  variables:\n    BRIDGE_VAR: bridge-$GLOBAL_VAR\n  trigger:\n    include: [{local: ci/child.yml}]\n    strategy: depend\n",
        "all:\n  trigger:\n    include: ci/child.yml\n    strategy: depend\n    forward: {yaml_variables: false, pipeline_variables: true}\n",
      ].join(""),
      "ci/child.yml": `variables:\n  CHILD_OWN: own\n  GLOBAL_VAR: child-default\n${child}`,
    },
    ROLES.maintainer,
  );
  const parent = await run(p.id, [{ key: "PIPE_VAR", value: "typed-at-creation" }]);
  expect((await settled(p.id, parent.id)).status).toBe("success");
  const seen: Record<string, string> = {};
  for (const bridge of await bridges(p.id, parent.id)) {
    const [show] = await jobs(p.id, bridge.downstream_pipeline!.id);
    // The output line, not the echoed command.
    seen[bridge.name] = (await log(p.id, show!.id)).match(/^seen \[.*\]/m)![0];
  }
  expect(seen["yaml-only"]).toBe("seen [global-value] [bridge-global-value] [] [own]");
  expect(seen.all).toBe("seen [child-default] [] [typed-at-creation] [own]");
}, 120_000);

test("a child from an artifact of a parent job; without strategy the bridge succeeds once the child exists", async () => {
  const p = await project(
    "dynamic",
    {
      ".gitlab-ci.yml": [
        "stages: [build, test]\n",
        "generate:\n  stage: build\n  script:\n    - |\n      mkdir -p gen\n      printf 'from-artifact:\\n  script: [echo generated]\\n' > gen/child.yml\n  artifacts:\n    paths: [gen/]\n",
        "dynamic:\n  stage: test\n  trigger:\n    include:\n      - artifact: gen/child.yml\n        job: generate\n      - local: ci/manual.yml\n",
      ].join(""),
      "ci/manual.yml": "waits:\n  when: manual\n  script: [echo later]\n",
    },
    ROLES.maintainer,
  );
  const parent = await run(p.id);
  expect((await settled(p.id, parent.id)).status).toBe("success");
  const [bridge] = await bridges(p.id, parent.id);
  expect(bridge!.status).toBe("success");
  const childId = bridge!.downstream_pipeline!.id;
  const childJobs = await waitFor("the generated job to run", async () => {
    const list = await jobs(p.id, childId);
    return list.some((j) => j.name === "from-artifact" && j.status === "success") && list;
  });
  expect(childJobs.map((j) => [j.name, j.status]).sort()).toEqual([
    ["from-artifact", "success"],
    ["waits", "manual"],
  ]);
}, 120_000);

test("multi-project triggers: GitLab's reasons when the user may not create pipelines there, or not see it; no protected variable of the upstream reaches another project", async () => {
  const downstream = ".gitlab-ci.yml";
  const reporterOnly = await project("reporteronly", { [downstream]: "x: {script: [echo x]}\n" }, ROLES.reporter);
  const hidden = await project("hidden", { [downstream]: "x: {script: [echo x]}\n" }, 0);
  const allowed = await project(
    "allowed",
    {
      [downstream]:
        'got:\n  script:\n    - echo "upstream said $UPSTREAM_VAR on $CI_PIPELINE_SOURCE leak=[$LEAK] open=[$OPEN]"\n',
    },
    ROLES.maintainer,
  );
  const p = await project(
    "upstream",
    {
      ".gitlab-ci.yml": [
        "no-rights:\n  trigger: {project: ",
        reporterOnly.path_with_namespace,
        ", strategy: depend}\n",
        "invisible:\n  trigger: ",
        hidden.path_with_namespace,
        "\n",
        "ok:\n  variables: {UPSTREAM_VAR: hello, TARGET: ",
        allowed.path_with_namespace,
        ", LEAK: $UPSTREAM_SECRET, OPEN: $UPSTREAM_OPEN}\n  trigger: {project: $TARGET, branch: main, strategy: depend}\n",
      ].join(""),
    },
    ROLES.maintainer,
  );
  for (const [key, value, isProtected] of [
    ["UPSTREAM_SECRET", "s3cret-value", true],
    ["UPSTREAM_OPEN", "visible", false],
  ] as const) {
    const res = await t.api(`/projects/${p.id}/variables`, {
      method: "POST",
      json: { key, value, protected: isProtected },
    });
    expect(res.status).toBe(201);
  }
  const parent = await run(p.id);
  expect((await settled(p.id, parent.id)).status).toBe("failed");
  const byName = Object.fromEntries((await bridges(p.id, parent.id)).map((b) => [b.name, b]));
  expect(byName["no-rights"]).toMatchObject({ status: "failed", failure_reason: "insufficient_bridge_permissions" });
  expect(byName["no-rights"]!.downstream_pipeline).toBeNull();
  expect(byName.invisible).toMatchObject({ status: "failed", failure_reason: "downstream_bridge_project_not_found" });
  expect(byName.ok).toMatchObject({ status: "success" });
  const made = byName.ok!.downstream_pipeline!;
  expect(made).toMatchObject({ project_id: allowed.id, source: "pipeline", ref: "main", status: "success" });
  // Nothing was created in the projects the user could not run pipelines in.
  expect(await (await t.api(`/projects/${reporterOnly.id}/pipelines`)).json()).toEqual([]);
  expect(await (await t.api(`/projects/${hidden.id}/pipelines`)).json()).toEqual([]);
  const [got] = await jobs(allowed.id, made.id);
  // The upstream's protected variable expands to nothing on its way to another project (GitLab's rule).
  expect(await log(allowed.id, got!.id)).toContain("upstream said hello on pipeline leak=[] open=[visible]");
  const passed = (await (await t.api(`/projects/${allowed.id}/pipelines/${made.id}/variables`)).json()) as unknown[];
  expect(JSON.stringify(passed)).not.toContain("s3cret-value");
}, 120_000);

test("child pipelines nest two levels deep; a third fails with reached_max_descendant_pipelines_depth", async () => {
  const level = (next: string) => `down:\n  trigger:\n    include: ${next}\n    strategy: depend\n`;
  const p = await project(
    "nested",
    {
      ".gitlab-ci.yml": level("ci/l1.yml"),
      "ci/l1.yml": level("ci/l2.yml"),
      "ci/l2.yml": level("ci/l3.yml"),
      "ci/l3.yml": "never: {script: [echo too deep]}\n",
    },
    ROLES.maintainer,
  );
  const root = await run(p.id);
  expect((await settled(p.id, root.id)).status).toBe("failed");
  const [b0] = await bridges(p.id, root.id);
  const [b1] = await bridges(p.id, b0!.downstream_pipeline!.id);
  const [b2] = await bridges(p.id, b1!.downstream_pipeline!.id);
  expect(b2).toMatchObject({ status: "failed", failure_reason: "reached_max_descendant_pipelines_depth" });
  expect(b2!.downstream_pipeline).toBeNull();
  // The page of the pipeline whose bridge was refused says why.
  const html = await (
    await fetch(`${t.url}/${p.path_with_namespace}/-/pipelines/${b1!.downstream_pipeline!.id}`, {
      headers: { Cookie: webSession(t, dev.id).cookie },
    })
  ).text();
  expect(html).toContain("child pipelines can be nested 2 levels deep at most");
  expect([b0!.status, b1!.status]).toEqual(["failed", "failed"]);
}, 120_000);

test.skipIf(!havePythonGitlab)(
  "python-gitlab lists a pipeline's bridges with their downstream pipeline",
  async () => {
    const p = await project(
      "python",
      { ".gitlab-ci.yml": "kid:\n  trigger: {include: ci/kid.yml}\n", "ci/kid.yml": "k: {script: [echo k]}\n" },
      ROLES.maintainer,
    );
    const parent = await run(p.id);
    await settled(p.id, parent.id);
    const script = [
      "import gitlab, json, sys",
      "gl = gitlab.Gitlab(sys.argv[1], private_token=sys.argv[2])",
      "bridges = gl.projects.get(int(sys.argv[3])).pipelines.get(int(sys.argv[4])).bridges.list()",
      "print(json.dumps([[b.name, b.status, b.downstream_pipeline['source']] for b in bridges]))",
    ].join("\n");
    const { stdout, stderr, code } = await runPython(["-c", script, t.url, dev.token, String(p.id), String(parent.id)]);
    if (code !== 0) throw new Error(stderr);
    expect(JSON.parse(stdout)).toEqual([["kid", "success", "parent_pipeline"]]);
  },
  120_000,
);

const WAIT_FOR_GO = "waits:\n  script:\n    - while [ ! -f go ]; do sleep 0.1; done\n";

test("the pages link a bridge to its child and the child back; canceling the parent cancels the child", async () => {
  const p = await project(
    "pages",
    { ".gitlab-ci.yml": "kid:\n  trigger: {include: ci/kid.yml, strategy: depend}\n", "ci/kid.yml": WAIT_FOR_GO },
    ROLES.maintainer,
  );
  const parent = await run(p.id);
  const bridge = await waitFor("the child pipeline", async () => {
    const [b] = await bridges(p.id, parent.id);
    return b?.downstream_pipeline && b;
  });
  const child = bridge.downstream_pipeline!;
  expect(bridge.status).toBe("running");
  const session = webSession(t, dev.id);
  const page = async (id: number) =>
    (
      await fetch(`${t.url}/${p.path_with_namespace}/-/pipelines/${id}`, { headers: { Cookie: session.cookie } })
    ).text();
  const parentPage = await page(parent.id);
  expect(parentPage).toContain(`href="/${p.path_with_namespace}/-/pipelines/${child.id}"`);
  expect(parentPage).toContain(`child #${child.id} · `);
  const childPage = await page(child.id);
  expect(childPage).toMatch(
    new RegExp(`Child pipeline of <a href="/${p.path_with_namespace}/-/pipelines/${parent.id}">#${parent.id}</a>`),
  );
  const canceled = await as(dev.token)(`/projects/${p.id}/pipelines/${parent.id}/cancel`, { method: "POST" });
  expect(canceled.status).toBe(201);
  expect((await settled(p.id, child.id)).status).toBe("canceled");
  expect((await settled(p.id, parent.id)).status).toBe("canceled");
}, 120_000);

test("a child's job gets a Debug terminal like any job: the Developer who started it opens it, others may not", async () => {
  const other = insertTestUser(t.porthole.store.db, { username: `other${marker}` });
  const otherToken = createPersonalAccessToken(t.porthole.store.db, { userId: other.id, name: "t", scopes: ["api"] });
  const repo = makeRepo({
    ".gitlab-ci.yml": "kid:\n  trigger: {include: ci/kid.yml}\n",
    "ci/kid.yml": WAIT_FOR_GO,
  });
  repo.git("branch", "feature");
  dirs.push(repo.dir);
  const created = await t.api("/projects", { method: "POST", json: { name: `term${marker}`, import_url: repo.dir } });
  const p = (await created.json()) as { id: number; path_with_namespace: string };
  for (const id of [dev.id, other.id])
    await t.api(`/projects/${p.id}/members`, { method: "POST", json: { user_id: id, access_level: ROLES.developer } });
  // A Developer runs pipelines on an unprotected branch.
  const res = await as(dev.token)(`/projects/${p.id}/pipeline`, { method: "POST", json: { ref: "feature" } });
  const parent = (await res.json()) as Pipeline;
  const child = await waitFor(
    "the child pipeline",
    async () => (await bridges(p.id, parent.id))[0]?.downstream_pipeline,
  );
  const job = await waitFor("the child's job to run its script", async () => {
    const [j] = await jobs(p.id, child.id);
    return j?.status === "running" && (await log(p.id, j.id)).includes('Executing "step_script"') && j;
  });
  const jobPath = `/${p.path_with_namespace}/-/jobs/${job.id}`;
  expect(await upgradeStatus(t.url, `${jobPath}/terminal.ws`, { "PRIVATE-TOKEN": otherToken.token })).toBe(403);
  const terminal = new TerminalClient(terminalWsUrl(t.url, jobPath), { token: dev.token });
  await terminal.opened;
  expect(await terminal.control("hello")).toMatchObject({ type: "hello", job: job.id });
  terminal.type("echo source''=$CI_PIPELINE_SOURCE; touch go\n");
  await terminal.until(/source=parent_pipeline/);
  await terminal.close();
  expect((await settled(p.id, child.id)).status).toBe("success");
}, 120_000);

test("trigger:include:project builds the child from another project's file the user may read", async () => {
  const templates = await project(
    "templates",
    {
      ".gitlab-ci.yml": "noop: {script: [true]}\n",
      "child/template.yml": "from-template:\n  script: [echo templated]\n",
    },
    ROLES.reporter,
  );
  const p = await project(
    "uses",
    {
      ".gitlab-ci.yml": `kid:\n  trigger:\n    include:\n      - project: ${templates.path_with_namespace}\n        file: child/template.yml\n    strategy: depend\n`,
    },
    ROLES.maintainer,
  );
  const parent = await run(p.id);
  expect((await settled(p.id, parent.id)).status).toBe("success");
  const [bridge] = await bridges(p.id, parent.id);
  expect((await jobs(p.id, bridge!.downstream_pipeline!.id)).map((j) => j.name)).toEqual(["from-template"]);
}, 120_000);

test("multi-project pipelines that trigger each other stop at GitLab's second loop: pipeline_loop_detected", async () => {
  const [a, b] = [`loopa${marker}`, `loopb${marker}`];
  const namespace = "root";
  const pa = await project("loopa", { ".gitlab-ci.yml": `go:\n  trigger: ${namespace}/${b}\n` }, ROLES.maintainer);
  const pb = await project("loopb", { ".gitlab-ci.yml": `go:\n  trigger: ${namespace}/${a}\n` }, ROLES.maintainer);
  await run(pa.id);
  // A(api) → B → A → B → A → B, whose bridge would start the second loop.
  const failed = await waitFor("a bridge to refuse the loop", async () => {
    for (const id of [pa.id, pb.id]) {
      const list = (await (await t.api(`/projects/${id}/pipelines`)).json()) as Pipeline[];
      for (const pipeline of list)
        for (const bridge of await bridges(id, pipeline.id))
          if (bridge.status === "failed") return { project: id, bridge };
    }
    return null;
  });
  expect(failed.project).toBe(pb.id);
  expect(failed.bridge.failure_reason).toBe("pipeline_loop_detected");
  const count = async (id: number) => ((await (await t.api(`/projects/${id}/pipelines`)).json()) as unknown[]).length;
  expect([await count(pa.id), await count(pb.id)]).toEqual([3, 3]);
}, 120_000);

test("retrying the failed job of a depend child until it passes turns its bridge and the parent green", async () => {
  // Fails the first time; its cache (saved also on failure) tells the retry it already failed once.
  const flaky =
    "flaky:\n  cache: {key: once, paths: [failed-once], when: always}\n  script:\n    - if [ -f failed-once ]; then echo second try; else touch failed-once; exit 1; fi\n";
  const p = await project(
    "retry",
    { ".gitlab-ci.yml": "kid:\n  trigger: {include: ci/kid.yml, strategy: depend}\n", "ci/kid.yml": flaky },
    ROLES.maintainer,
  );
  const parent = await run(p.id);
  expect((await settled(p.id, parent.id)).status).toBe("failed");
  const [bridge] = await bridges(p.id, parent.id);
  const child = bridge!.downstream_pipeline!;
  const [job] = await jobs(p.id, child.id);
  expect((await as(dev.token)(`/projects/${p.id}/jobs/${job!.id}/retry`, { method: "POST" })).status).toBe(201);
  expect((await settled(p.id, child.id)).status).toBe("success");
  const green = await waitFor("the parent to turn green", async () => {
    const now = (await (await t.api(`/projects/${p.id}/pipelines/${parent.id}`)).json()) as Pipeline;
    return now.status === "success" && now;
  });
  expect(green.status).toBe("success");
  expect((await bridges(p.id, parent.id))[0]).toMatchObject({ status: "success" });
}, 120_000);

test("a manual bridge waits, and playing it (POST /jobs/:id/play, as GitLab) creates its child", async () => {
  const p = await project(
    "manual",
    {
      ".gitlab-ci.yml": "kid:\n  when: manual\n  trigger: {include: ci/kid.yml}\n",
      "ci/kid.yml": "k: {script: [echo k]}\n",
    },
    ROLES.maintainer,
  );
  const parent = await run(p.id);
  const [waiting] = await bridges(p.id, parent.id);
  expect(waiting).toMatchObject({ status: "manual", downstream_pipeline: null });
  const played = await as(dev.token)(`/projects/${p.id}/jobs/${waiting!.id}/play`, { method: "POST" });
  expect(played.status).toBe(200);
  expect(await played.json()).toMatchObject({ id: waiting!.id, name: "kid", status: "pending" });
  const child = await waitFor("the child", async () => (await bridges(p.id, parent.id))[0]?.downstream_pipeline);
  expect((await settled(p.id, child.id)).status).toBe("success");
}, 120_000);

test("a child pipeline from a CI/CD component with inputs (trigger:include:component)", async () => {
  const repo = makeRepo({
    "templates/child.yml":
      'spec:\n  inputs:\n    who:\n---\n"hello-$[[ inputs.who ]]":\n  script:\n    - echo "hello $[[ inputs.who ]]"\n',
  });
  repo.git("tag", "1.0.0");
  dirs.push(repo.dir);
  const res = await t.api("/projects", { method: "POST", json: { name: `comp${marker}`, import_url: repo.dir } });
  const component = (await res.json()) as { id: number; path_with_namespace: string };
  await t.api(`/projects/${component.id}/members`, {
    method: "POST",
    json: { user_id: dev.id, access_level: ROLES.reporter },
  });
  const address = `$CI_SERVER_FQDN/${component.path_with_namespace}/child@1.0.0`;
  const p = await project(
    "usescomponent",
    {
      ".gitlab-ci.yml": `kid:\n  trigger:\n    include:\n      - component: ${address}\n        inputs: {who: world}\n    strategy: depend\n`,
    },
    ROLES.maintainer,
  );
  const parent = await run(p.id);
  expect((await settled(p.id, parent.id)).status).toBe("success");
  const [bridge] = await bridges(p.id, parent.id);
  const [job] = await jobs(p.id, bridge!.downstream_pipeline!.id);
  expect(job!.name).toBe("hello-world");
  expect(await log(p.id, job!.id)).toMatch(/^hello world/m);
}, 120_000);

test("a child job gets its parent's artifacts with needs:pipeline:job, and no other project's", async () => {
  const other = await project(
    "otherartifacts",
    { ".gitlab-ci.yml": "leak:\n  script: [echo top-secret > secret.txt]\n  artifacts: {paths: [secret.txt]}\n" },
    ROLES.maintainer,
  );
  const otherPipeline = await run(other.id);
  expect((await settled(other.id, otherPipeline.id)).status).toBe("success");
  const child = [
    "use:\n",
    "  needs:\n",
    "    - {pipeline: $PARENT_PIPELINE_ID, job: generate}\n",
    `    - {pipeline: '${otherPipeline.id}', job: leak}\n`,
    "  script:\n",
    '    - echo "data=[$(cat data.txt)] secret=[$(cat secret.txt 2>/dev/null)]"\n',
  ].join("");
  const p = await project(
    "needsparent",
    {
      ".gitlab-ci.yml": [
        "stages: [build, test]\n",
        "generate:\n  stage: build\n  script: [echo from-parent > data.txt]\n  artifacts: {paths: [data.txt]}\n",
        "kid:\n  stage: test\n  variables: {PARENT_PIPELINE_ID: $CI_PIPELINE_ID}\n",
        "  trigger: {include: ci/child.yml, strategy: depend}\n",
      ].join(""),
      "ci/child.yml": child,
    },
    ROLES.maintainer,
  );
  const parent = await run(p.id);
  expect((await settled(p.id, parent.id)).status).toBe("success");
  const [bridge] = await bridges(p.id, parent.id);
  const [use] = await jobs(p.id, bridge!.downstream_pipeline!.id);
  expect((await log(p.id, use!.id)).match(/^data=.*$/m)?.[0]).toBe("data=[from-parent] secret=[]");
}, 120_000);
