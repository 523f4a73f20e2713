// A project from a local git repository runs a .gitlab-ci.yml using the common keywords and ends with GitLab's statuses.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { makeRepo } from "../support/git-repo.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { waitFor } from "../support/wait.ts";

const CI = `
stages: [build, test, deploy]
variables:
  GLOBAL_VAR: global
  OVERRIDDEN: from-global
.echo_before: &echo_before
  before_script:
    - echo "before $CI_JOB_NAME"
.template:
  variables:
    FROM_TEMPLATE: template
  after_script:
    - echo "template after_script status=$CI_JOB_STATUS"
build:
  <<: *echo_before
  stage: build
  script:
    - echo "building $CI_COMMIT_SHORT_SHA on $CI_COMMIT_REF_NAME in $CI_PROJECT_DIR"
    - echo "global=$GLOBAL_VAR project=$PROJECT_VAR pipeline=$PIPELINE_VAR overridden=$OVERRIDDEN"
    - test -f README.md
  variables:
    OVERRIDDEN: from-job
  after_script:
    - echo "after status=$CI_JOB_STATUS"
lint:
  stage: test
  needs: []
  script: [echo lint]
unit:
  extends: .template
  stage: test
  needs: [build]
  script:
    - echo "template=$FROM_TEMPLATE"
    - exit 3
  allow_failure: true
integration:
  stage: test
  script:
    - echo integration
    - test "$BREAK" != "yes"
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
not_on_main:
  stage: test
  script: [echo never]
  rules:
    - if: $CI_COMMIT_BRANCH != "main"
rollback:
  stage: deploy
  when: on_failure
  script: [echo rollback]
deploy:
  stage: deploy
  script: [echo deploy]
release:
  stage: deploy
  when: manual
  script: [echo release]
`;

let t: TestPorthole;
let projectId: number;
let sha: string;

beforeAll(async () => {
  t = await startTestPorthole({ runner: { concurrent: 2 } });
  const repo = makeRepo({ ".gitlab-ci.yml": CI, "README.md": "hello\n" });
  sha = repo.sha;
  const res = await t.api("/projects", { method: "POST", json: { name: "semantics", import_url: repo.dir } });
  expect(res.status).toBe(201);
  projectId = ((await res.json()) as { id: number }).id;
  const v = await t.api(`/projects/${projectId}/variables`, {
    method: "POST",
    json: { key: "PROJECT_VAR", value: "pv" },
  });
  expect(v.status).toBe(201);
});
afterAll(() => t?.stop());

type Job = { id: number; name: string; status: string; allow_failure: boolean };

async function runPipeline(variables: { key: string; value: string }[]) {
  const res = await t.api(`/projects/${projectId}/pipeline`, { method: "POST", json: { ref: "main", variables } });
  expect(res.status).toBe(201);
  const pipeline = (await res.json()) as { id: number; sha: string };
  expect(pipeline.sha).toBe(sha);
  return pipeline.id;
}

async function settledJobs(pipelineId: number): Promise<Record<string, string>> {
  const jobs = await waitFor(
    `pipeline ${pipelineId} to settle`,
    async () => {
      const list = (await (
        await t.api(`/projects/${projectId}/pipelines/${pipelineId}/jobs?per_page=100`)
      ).json()) as Job[];
      return list.every((j) => ["success", "failed", "canceled", "skipped", "manual"].includes(j.status)) && list;
    },
    60_000,
  );
  return Object.fromEntries(jobs.map((j) => [j.name, j.status]));
}

const trace = async (pipelineId: number, name: string) => {
  const jobs = (await (await t.api(`/projects/${projectId}/pipelines/${pipelineId}/jobs`)).json()) as Job[];
  const job = jobs.find((j) => j.name === name)!;
  return (await t.api(`/projects/${projectId}/jobs/${job.id}/trace`)).text();
};

test("a failing run: allow_failure, on_failure, skipped deploy and manual, rules-excluded job absent", async () => {
  const id = await runPipeline([
    { key: "PIPELINE_VAR", value: "ppv" },
    { key: "BREAK", value: "yes" },
  ]);
  expect(await settledJobs(id)).toEqual({
    build: "success",
    lint: "success",
    unit: "failed",
    integration: "failed",
    rollback: "success",
    deploy: "skipped",
    release: "skipped",
  });
  const pipeline = (await (await t.api(`/projects/${projectId}/pipelines/${id}`)).json()) as { status: string };
  expect(pipeline.status).toBe("failed");

  const build = await trace(id, "build");
  expect(build).toContain("Running with porthole");
  expect(build).toContain('\x1b[32;1m$ echo "before $CI_JOB_NAME"\x1b[0;m');
  expect(build).toContain("before build");
  expect(build).toContain(`building ${sha.slice(0, 8)} on main in ${t.dataDir}/builds/`);
  expect(build).toContain("global=global project=pv pipeline=ppv overridden=from-job");
  expect(build).toContain("after status=success");
  expect(build).toContain("Job succeeded");
  expect(build).toMatch(/section_start:\d+:step_script\r\x1b\[0K/);

  const unit = await trace(id, "unit");
  expect(unit).toContain("template=template");
  expect(unit).toContain("template after_script status=failed");
  expect(unit).toContain("ERROR: Job failed: exit code 3");
});

test("a passing run: rollback skipped, deploy runs, the manual release waits and runs when played", async () => {
  const id = await runPipeline([]);
  expect(await settledJobs(id)).toEqual({
    build: "success",
    lint: "success",
    unit: "failed",
    integration: "success",
    rollback: "skipped",
    deploy: "success",
    release: "manual",
  });
  const jobs = (await (await t.api(`/projects/${projectId}/pipelines/${id}/jobs`)).json()) as Job[];
  const release = jobs.find((j) => j.name === "release")!;
  const played = await t.api(`/projects/${projectId}/jobs/${release.id}/play`, { method: "POST" });
  expect(played.status).toBe(200);
  await waitFor("release to succeed", async () => (await settledJobs(id)).release === "success");
  expect(await trace(id, "release")).toContain("release");
  const pipeline = (await (await t.api(`/projects/${projectId}/pipelines/${id}`)).json()) as { status: string };
  expect(pipeline.status).toBe("success");
});
