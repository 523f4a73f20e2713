import { afterAll, describe, expect, test } from "bun:test";
import { errorsOf, gitRepo, jobNames, planOf, pushContext } from "./pipeline.testing.ts";

const repo = gitRepo({ Dockerfile: "FROM x\n", "docs/index.md": "# docs\n", "src/app.rb": "", ".hidden/conf": "" });
afterAll(() => repo.dispose());

describe("rules", () => {
  const yaml = `
variables: {DEPLOY_TO: prod}
job:
  script: x
  variables: {LEVEL: high}
  rules:
    - if: $CI_COMMIT_BRANCH == "never-me"
      when: always
    - if: $CI_COMMIT_TAG
      when: never
    - if: $CI_COMMIT_BRANCH =~ /^release\\//
      when: manual
      allow_failure: true
      variables: {LEVEL: release}
    - if: $LEVEL == "high" && $DEPLOY_TO == "prod" && $CI_COMMIT_BRANCH == "main"
      when: delayed
      start_in: 10 minutes
      interruptible: true
`;
  test("the first matching rule wins, with its when, allow_failure, start_in and variables", () => {
    const release = planOf(yaml, pushContext({ ref: "release/1.0" })).jobs[0]!;
    expect([release.when, release.allowFailure]).toEqual(["manual", true]);
    expect(release.variables).toEqual([{ key: "LEVEL", value: "release", raw: false }]);
    const main = planOf(yaml).jobs[0]!;
    expect([main.when, main.startIn, main.interruptible]).toEqual(["delayed", 600, true]);
  });

  test("when: never, or no rule matching, leaves the job out", () => {
    const other = "other: {script: x}\n";
    expect(jobNames(planOf(yaml + other, pushContext({ ref: "v1.0", tag: true })))).toEqual(["other"]);
    expect(jobNames(planOf(yaml + other, pushContext({ ref: "feature" })))).toEqual(["other"]);
  });

  test("rules:when: manual is blocking (allow_failure false) unlike job-level when: manual", () => {
    const plan = planOf(
      "a:\n  script: x\n  rules: [{when: manual}]\nb:\n  script: x\n  when: manual\n  rules: [{if: $CI}]\n",
      pushContext({ variables: { CI: "true" } }),
    );
    expect(plan.jobs.map((j) => [j.name, j.when, j.allowFailure])).toEqual([
      ["a", "manual", false],
      ["b", "manual", true],
    ]);
  });

  test("rules:needs replaces the job's needs", () => {
    const plan = planOf(
      `
build: {stage: build, script: x}
lint: {stage: build, script: x}
job:
  script: x
  needs: [build]
  rules:
    - if: $FAST
      needs: [lint]
    - when: on_success
`,
      pushContext({ variables: { FAST: "1" } }),
    );
    expect(plan.jobs.find((j) => j.name === "job")!.needs).toEqual([{ job: "lint", optional: false }]);
  });

  test("exists looks at the commit's files (globs, dot files, directories)", () => {
    const run = (exists: string) =>
      jobNames(planOf(`job:\n  script: x\n  rules: [{exists: ${exists}}]\nalways: {script: x}\n`, pushContext(), repo));
    expect(run("Dockerfile")).toEqual(["job", "always"]);
    expect(run("[docs/]")).toEqual(["job", "always"]);
    expect(run("['**/*.rb']")).toEqual(["job", "always"]);
    expect(run("['*.rb']")).toEqual(["always"]);
    expect(run("['.hidden/*']")).toEqual(["job", "always"]);
    expect(run("[Makefile, 'src/*.py']")).toEqual(["always"]);
    expect(jobNames(planOf("job:\n  script: x\n  rules: [{exists: [Dockerfile]}]\nalways: {script: x}\n"))).toEqual([
      "always",
    ]);
  });

  test("changes: always true unless a push tells which files changed", () => {
    const yamlChanges = "job:\n  script: x\n  rules: [{changes: ['docs/**/*']}]\nalways: {script: x}\n";
    expect(jobNames(planOf(yamlChanges))).toEqual(["job", "always"]);
    expect(jobNames(planOf(yamlChanges, pushContext({ source: "web", changedPaths: [] })))).toEqual(["job", "always"]);
    expect(jobNames(planOf(yamlChanges, pushContext({ changedPaths: ["docs/a/b.md"] })))).toEqual(["job", "always"]);
    expect(jobNames(planOf(yamlChanges, pushContext({ changedPaths: ["src/app.rb"] })))).toEqual(["always"]);
  });

  test("rules:if sees global, job and matrix variables; pipeline variables win", () => {
    const plan = planOf(
      `
variables: {TARGET: staging}
job:
  script: x
  parallel: {matrix: [{OS: [linux, windows]}]}
  rules:
    - if: $OS == "linux" && $TARGET == "prod"
`,
      pushContext({ variables: { TARGET: "prod" } }),
    );
    expect(jobNames(plan)).toEqual(["job: [linux]"]);
  });
});

describe("a job-level key beside rules (GitLab's Processable today)", () => {
  test("job-level `when` is accepted and is the `when` of a matching rule that has none", () => {
    const plan = planOf(
      `deploy:
  script: x
  when: manual
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
    - if: $CI_COMMIT_BRANCH
      when: on_success
`,
      pushContext(),
    );
    expect(plan.jobs.map((j) => [j.name, j.when])).toEqual([["deploy", "manual"]]);
    const other = planOf(
      'deploy:\n  script: x\n  when: manual\n  rules:\n    - if: $CI_COMMIT_BRANCH == "main"\n    - if: $CI_COMMIT_BRANCH\n      when: on_success\n',
      pushContext({ ref: "feature" }),
    );
    expect(other.jobs.map((j) => [j.name, j.when])).toEqual([["deploy", "on_success"]]);
  });

  test.each([
    ["only: [main]", "jobs:job config key may not be used with `rules`: only"],
    ["except: [main]", "jobs:job config key may not be used with `rules`: except"],
    ["when: delayed\n  start_in: 1 hour", "jobs:job config key may not be used with `rules`: start_in"],
    ["only: [main]\n  except: [tags]", "jobs:job config key may not be used with `rules`: only, except"],
  ])("%s is refused with GitLab's message", (extra, message) => {
    expect(errorsOf(`job:\n  script: x\n  rules: [{if: $A}]\n  ${extra}\n`).join("\n")).toContain(message);
  });
});

describe("only / except", () => {
  const names = (yaml: string, ctx = pushContext()) => jobNames(planOf(`${yaml}\nanchor: {script: x}\n`, ctx));

  test("refs by name, regex and keyword", () => {
    expect(names("job: {script: x, only: [main]}")).toEqual(["job", "anchor"]);
    expect(names("job: {script: x, only: [/^rel-.*$/]}", pushContext({ ref: "rel-2" }))).toEqual(["job", "anchor"]);
    expect(names("job: {script: x, only: [/^rel-.*$/]}")).toEqual(["anchor"]);
    expect(names("job: {script: x, only: [tags]}")).toEqual(["anchor"]);
    expect(names("job: {script: x, only: [tags]}", pushContext({ ref: "v1", tag: true }))).toEqual(["job", "anchor"]);
    expect(names("job: {script: x, except: [branches]}")).toEqual(["anchor"]);
  });

  test("pipeline sources: api, web, pushes, triggers, schedules", () => {
    expect(names("job: {script: x, only: [schedules]}", pushContext({ source: "schedule" }))).toEqual([
      "job",
      "anchor",
    ]);
    expect(names("job: {script: x, only: [pushes]}")).toEqual(["job", "anchor"]);
    expect(names("job: {script: x, only: [api, web]}")).toEqual(["anchor"]);
    expect(names("job: {script: x, except: [triggers]}", pushContext({ source: "trigger" }))).toEqual(["anchor"]);
  });

  test("hash form: refs and variables must all hold for only; any excludes for except", () => {
    const only = 'job:\n  script: x\n  only:\n    refs: [main]\n    variables: [$DEPLOY == "yes", $FORCE]\n';
    expect(names(only)).toEqual(["anchor"]);
    expect(names(only, pushContext({ variables: { FORCE: "1" } }))).toEqual(["job", "anchor"]);
    expect(names(only, pushContext({ ref: "dev", variables: { FORCE: "1" } }))).toEqual(["anchor"]);
    expect(
      names("job:\n  script: x\n  except:\n    variables: [$SKIP]\n", pushContext({ variables: { SKIP: "y" } })),
    ).toEqual(["anchor"]);
  });

  test("project path after @", () => {
    expect(names("job: {script: x, only: [main@group/project]}")).toEqual(["job", "anchor"]);
    expect(names("job: {script: x, only: [main@other/project]}")).toEqual(["anchor"]);
  });
});

describe("workflow:rules", () => {
  const yaml = `
variables: {MODE: normal}
workflow:
  rules:
    - if: $CI_COMMIT_TAG
      when: never
    - if: $CI_PIPELINE_SOURCE == "schedule"
      variables: {MODE: nightly}
    - if: $CI_COMMIT_BRANCH
job:
  script: x
  rules:
    - if: $MODE == "nightly"
`;
  test("no matching rule (or a matching when: never) means no pipeline: GitLab's message at that rule or at rules", () => {
    expect(errorsOf(yaml, pushContext({ ref: "v1", tag: true }))).toEqual([
      "Pipeline filtered out by workflow rules. (line 5, column 7)",
    ]);
    expect(errorsOf(yaml, pushContext({ source: "api", variables: { CI_COMMIT_BRANCH: "" } }))).toEqual([
      "Pipeline filtered out by workflow rules. (line 4, column 3)",
    ]);
  });

  test("a matching rule's variables replace the global ones, for the plan and for job rules", () => {
    const plan = planOf(yaml, pushContext({ source: "schedule" }));
    expect(plan.variables).toEqual([{ key: "MODE", value: "nightly", raw: false }]);
    expect(jobNames(plan)).toEqual(["job"]);
  });

  test("workflow:rules drops the only: [branches, tags] default", () => {
    const plan = planOf("workflow: {rules: [{when: always}]}\njob: {script: x}\n", pushContext({ source: "web" }));
    expect(jobNames(plan)).toEqual(["job"]);
  });
});

describe("what is left decides the pipeline", () => {
  test("only .pre / .post jobs: no pipeline", () => {
    expect(errorsOf("pre: {stage: .pre, script: x}\njob: {script: x, rules: [{when: never}]}\n")).toEqual([
      "No stages / jobs for this pipeline. (line 1, column 1)",
    ]);
  });

  test("a need on a job that rules left out is an error unless optional; optional needs drop out", () => {
    const yaml = (optional: boolean) => `
build: {stage: build, script: x, rules: [{if: $BUILD}]}
test: {script: x, needs: [{job: build, optional: ${optional}}]}
`;
    expect(errorsOf(yaml(false))).toEqual([
      "'test' job needs 'build' job, but 'build' does not exist in the pipeline. This might be because of the only, except, " +
        "or rules keywords. To need a job that sometimes does not exist in the pipeline, use needs:optional. (line 3, column 33)",
    ]);
    expect(planOf(yaml(true)).jobs[0]!.needs).toEqual([]);
  });
});
