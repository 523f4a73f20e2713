// Artifacts on the shell executor: stages, needs, dependencies: [], dotenv, the API, and paths that try to escape.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { unzipSync } from "fflate";
import { expectArtifactFlow, runArtifactPipeline } from "../support/artifact-flow.ts";
import { makeRepo } from "../support/git-repo.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { waitFor } from "../support/wait.ts";

let t: TestPorthole;
beforeAll(async () => {
  t = await startTestPorthole({ runner: { concurrent: 2 } });
});
afterAll(() => t?.stop());

test("a build job's artifacts reach later jobs and download byte-identical", async () => {
  await expectArtifactFlow(t, await runArtifactPipeline(t, "artifacts-shell"));
}, 120_000);

/** Runs `ci` as a new project's pipeline on `on` and returns the settled jobs with their logs. */
async function pipelineOf(on: TestPorthole, ci: string) {
  const repo = makeRepo({ ".gitlab-ci.yml": ci });
  const created = await on.api("/projects", { method: "POST", json: { name: `a${Date.now()}`, import_url: repo.dir } });
  const projectId = ((await created.json()) as { id: number }).id;
  const res = await on.api(`/projects/${projectId}/pipeline`, { method: "POST", json: { ref: "main" } });
  if (res.status !== 201) throw new Error(`pipeline: ${res.status} ${await res.text()}`);
  const p = (await res.json()) as { id: number };
  const jobs = await waitFor(
    "the pipeline to settle",
    async () => {
      const list = (await (await on.api(`/projects/${projectId}/pipelines/${p.id}/jobs`)).json()) as Job[];
      return list.every((j) => ["success", "failed", "canceled", "skipped"].includes(j.status)) && list;
    },
    60_000,
  );
  const out: Record<string, Job & { log: string; url: string }> = {};
  for (const j of jobs) {
    const url = `/projects/${projectId}/jobs/${j.id}`;
    out[j.name] = { ...j, url, log: await (await on.api(`${url}/trace`)).text() };
  }
  return out;
}
type Job = { id: number; name: string; status: string; failure_reason?: string; pipeline: { id: number } };

test("an archive over artifacts.max_size fails the job with a line naming the limit; nothing is stored", async () => {
  const small = await startTestPorthole({ artifacts: { max_size: 50_000 } });
  try {
    const jobs = await pipelineOf(
      small,
      "big:\n  script: [head -c 200000 /dev/urandom > big.bin]\n  artifacts:\n    paths: [big.bin]\n",
    );
    expect(jobs.big!.status).toBe("failed");
    expect(jobs.big!.log).toContain("artifacts are larger than 50000 bytes (artifacts.max_size)");
    expect(jobs.big!.log).toContain("ERROR: Job failed:");
    const job = (await (await small.api(jobs.big!.url)).json()) as { id: number; artifacts_file?: unknown };
    expect(job.id).toBe(jobs.big!.id);
    expect(job.artifacts_file).toBeUndefined();
    expect((await small.api(`${jobs.big!.url}/artifacts`)).status).toBe(404);
  } finally {
    await small.stop();
  }
}, 60_000);

test("an expired dependency fails the later job before its script, with missing_dependency_failure", async () => {
  const ci = `
stages: [build, wait, use]
build:
  stage: build
  script: [echo data > data.txt]
  artifacts: {paths: [data.txt], expire_in: 1 second}
wait:
  stage: wait
  script: [sleep 2]
  dependencies: []
use:
  stage: use
  script: [echo should not run]
`;
  const jobs = await pipelineOf(t, ci);
  expect(jobs.build!.status).toBe("success");
  expect(jobs.use!.status).toBe("failed");
  expect(jobs.use!.failure_reason).toBe("missing_dependency_failure");
  expect(jobs.use!.log).toContain(`Downloading artifacts for build (${jobs.build!.id})...`);
  expect(jobs.use!.log).toContain("the artifacts have expired");
  expect(jobs.use!.log).not.toContain("should not run\n");
}, 60_000);

const JUNIT_CI = `
rspec:
  script:
    - mkdir -p reports
    - |
      cat > reports/rspec.xml <<'XML'
      <?xml version="1.0" encoding="UTF-8"?>
      <testsuites>
        <testsuite name="models" tests="4">
          <testcase classname="User" name="is valid" time="0.25"/>
          <testcase classname="User" name="rejects &amp; reports bad email" time="1.5">
            <failure message="expected false to be true">spec/user_spec.rb:12</failure>
          </testcase>
          <testcase classname="User" name="is pending" time="0"><skipped/></testcase>
          <testcase classname="Order" name="totals" time="0.5"><error message="NoMethodError">undefined method</error></testcase>
        </testsuite>
      </testsuites>
      XML
    - exit 1
  artifacts:
    paths: [reports/]
    reports:
      junit: reports/*.xml
`;

test("a junit report of a failing suite: test_report and test_report_summary count it the GitLab way", async () => {
  const jobs = await pipelineOf(t, JUNIT_CI);
  expect(jobs.rspec!.status).toBe("failed");
  expect(jobs.rspec!.log).toContain("Uploading artifacts for failed job");
  // The archive is `when: on_success` (the default): not collected for a failed job; reports always are.
  const job = (await (await t.api(jobs.rspec!.url)).json()) as { artifacts: { file_type: string }[] };
  expect(job.artifacts.map((a) => a.file_type)).toEqual(["junit", "trace"]);
  const pipelineUrl = jobs.rspec!.url.replace(/\/jobs\/\d+$/, `/pipelines/${jobs.rspec!.pipeline.id}`);
  const report = (await (await t.api(`${pipelineUrl}/test_report`)).json()) as {
    total_count: number;
    failed_count: number;
    test_suites: { name: string; test_cases: { status: string; name: string; system_output: string | null }[] }[];
  };
  expect(report).toMatchObject({ total_count: 4, success_count: 1, failed_count: 1, skipped_count: 1, error_count: 1 });
  const cases = report.test_suites[0]!.test_cases;
  expect(report.test_suites[0]!.name).toBe("rspec");
  expect(cases.map((c) => c.status)).toEqual(["error", "failed", "success", "skipped"]);
  expect(cases[1]).toMatchObject({
    name: "rejects & reports bad email",
    system_output: "expected false to be true\nspec/user_spec.rb:12",
  });
  const summary = (await (await t.api(`${pipelineUrl}/test_report_summary`)).json()) as Record<string, unknown>;
  expect(summary.total).toEqual({
    time: 2.25,
    count: 4,
    success: 1,
    failed: 1,
    skipped: 1,
    error: 1,
    suite_error: null,
  });
  expect(summary.test_suites).toEqual([expect.objectContaining({ name: "rspec", build_ids: [jobs.rspec!.id] })]);
}, 60_000);

test("coverage: the last matching line's number reaches the job, the pipeline and the badge", async () => {
  const ci = `
unit:
  coverage: '/Lines: +\\d+\\.\\d+%/'
  script:
    - 'echo "Lines: 10.00% (early run)"'
    - 'echo "Lines:   87.25% of 400"'
other:
  script:
    - echo "no coverage here"
`;
  const jobs = await pipelineOf(t, ci);
  const job = (await (await t.api(jobs.unit!.url)).json()) as { coverage: number | null };
  expect(job.coverage).toBe(87.25);
  expect(((await (await t.api(jobs.other!.url)).json()) as { coverage: unknown }).coverage).toBeNull();
  const pipelineUrl = jobs.unit!.url.replace(/\/jobs\/\d+$/, `/pipelines/${jobs.unit!.pipeline.id}`);
  expect(((await (await t.api(pipelineUrl)).json()) as { coverage: unknown }).coverage).toBe("87.25");
  const projectUrl = jobs.unit!.url.replace(/\/jobs\/\d+$/, "");
  const project = (await (await t.api(projectUrl)).json()) as { path_with_namespace: string };
  const badge = () => fetch(`${t.url}/${project.path_with_namespace}/badges/main/coverage.svg`).then((r) => r.text());
  expect(await badge()).toContain("coverage: unknown"); // a private project's badge tells an anonymous visitor nothing
  const made = await t.api(projectUrl, { method: "PUT", json: { visibility: "public" } });
  expect(made.status).toBe(200);
  expect(await badge()).toContain("coverage: 87.25%");
}, 60_000);

test("untracked: true collects what git neither tracks nor ignores", async () => {
  const repo = makeRepo({
    ".gitlab-ci.yml":
      "job:\n  script: [echo new > new.txt, echo junk > ignored.txt, mkdir -p gen, echo g > gen/g.txt]\n  artifacts: {untracked: true}\n",
    ".gitignore": "ignored.txt\n",
    "tracked.txt": "in git\n",
  });
  const created = await t.api("/projects", { method: "POST", json: { name: "untracked", import_url: repo.dir } });
  const projectId = ((await created.json()) as { id: number }).id;
  const p = (await (
    await t.api(`/projects/${projectId}/pipeline`, { method: "POST", json: { ref: "main" } })
  ).json()) as {
    id: number;
  };
  const [job] = await waitFor("the job to finish", async () => {
    const list = (await (await t.api(`/projects/${projectId}/pipelines/${p.id}/jobs`)).json()) as Job[];
    return list[0]?.status === "success" && list;
  });
  const zip = await t.api(`/projects/${projectId}/jobs/${job!.id}/artifacts`);
  expect(zip.status).toBe(200);
  const names = Object.keys(unzipSync(new Uint8Array(await zip.arrayBuffer()))).sort();
  expect(names).toEqual(["gen/g.txt", "new.txt"]);
}, 60_000);

test("a malformed dotenv report fails the job with the file and line; later jobs do not get half of it", async () => {
  const ci = `
stages: [one, two]
env:
  stage: one
  script:
    - printf 'GOOD=1\\nnot a variable line\\n' > vars.env
  artifacts:
    reports: {dotenv: vars.env}
after:
  stage: two
  when: always
  script:
    - echo "good=[$GOOD]"
`;
  const jobs = await pipelineOf(t, ci);
  expect(jobs.env!.status).toBe("failed");
  expect(jobs.env!.log).toContain('dotenv report vars.env line 2: expected KEY=VALUE, not "not a variable line"');
  expect(jobs.after!.log).toContain("good=[]");
}, 60_000);
