import { describe, expect, test } from "bun:test";
import { jobNames, planJob, planOf, pushContext } from "./pipeline.testing.ts";

const job = (yaml: string, name = "job") => {
  const found = planOf(yaml).jobs.find((j) => j.name === name);
  if (!found) throw new Error(`no job ${name}`);
  return found;
};

describe("stages and job order", () => {
  test("default stages; .pre first and .post last; jobs in stage then file order", () => {
    const plan = planOf(`
deploy: {stage: deploy, script: d}
post: {stage: .post, script: p}
test2: {script: t2}
build: {stage: build, script: b}
pre: {stage: .pre, script: p}
test1: {script: t1}
`);
    expect(plan.stages).toEqual([".pre", "build", "test", "deploy", ".post"]);
    expect(jobNames(plan)).toEqual(["pre", "build", "test2", "test1", "deploy", "post"]);
    expect(plan.jobs.map((j) => j.stageIndex)).toEqual([0, 1, 2, 2, 3, 4]);
  });

  test("declared stages (nested lists flattened, edges moved to the ends)", () => {
    const plan = planOf("stages: [.post, [lint, [unit]], .pre]\njob: {stage: unit, script: x}\n");
    expect(plan.stages).toEqual([".pre", "lint", "unit", ".post"]);
    expect(plan.jobs[0]!.stageIndex).toBe(2);
  });
});

describe("scripts, image, services, variables", () => {
  test("scripts: a string, or nested lists flattened", () => {
    const j = job("job:\n  before_script: setup\n  script: [[a, [b]], c]\n  after_script: [cleanup]\n");
    expect([j.beforeScript, j.script, j.afterScript]).toEqual([["setup"], ["a", "b", "c"], ["cleanup"]]);
  });

  test("image and services in both forms; entrypoint [''] clears the entrypoint", () => {
    const j = job(`job:
  script: x
  image: {name: "ruby:3.3", entrypoint: [""]}
  services:
    - postgres:16
    - name: redis:7
      alias: cache
      command: [redis-server, --save, ""]
      variables: {REDIS_ARGS: 1}
`);
    expect(j.image).toEqual({ name: "ruby:3.3", entrypoint: [] });
    expect(j.services).toEqual([
      { name: "postgres:16", variables: [] },
      {
        name: "redis:7",
        alias: "cache",
        command: ["redis-server", "--save", ""],
        variables: [{ key: "REDIS_ARGS", value: "1", raw: false }],
      },
    ]);
  });

  test("variables: global on the plan, job ones on the job; YAML 1.1 values; expand: false is raw", () => {
    const plan = planOf(`variables:
  ZIP: 012345
  DEBUG: on
  VERSION: 1.10
  DESCRIBED: {value: x, description: shown in the run form}
  BLANK:
job:
  script: x
  variables:
    RAW: {value: $HOME, expand: false}
    ZIP: job wins
`);
    expect(plan.variables).toEqual([
      { key: "ZIP", value: "5349", raw: false },
      { key: "DEBUG", value: "true", raw: false },
      { key: "VERSION", value: "1.1", raw: false },
      { key: "DESCRIBED", value: "x", raw: false },
      { key: "BLANK", value: "", raw: false },
    ]);
    expect(plan.jobs[0]!.variables).toEqual([
      { key: "RAW", value: "$HOME", raw: true },
      { key: "ZIP", value: "job wins", raw: false },
    ]);
  });
});

describe("default and the deprecated top-level keywords", () => {
  const yaml = `
default:
  image: ruby:3
  before_script: [bundle]
  tags: [docker]
  retry: 2
  timeout: 30m
  interruptible: true
  cache: {key: gems, paths: [vendor]}
  artifacts: {paths: [log]}
services: [postgres]
after_script: [echo top-level]
a: {script: a}
b:
  script: b
  image: alpine
  before_script: []
  tags: null
`;
  test("a job without the key gets the default's value", () => {
    const a = job(yaml, "a");
    expect(a).toMatchObject({
      image: { name: "ruby:3" },
      beforeScript: ["bundle"],
      afterScript: ["echo top-level"],
      services: [{ name: "postgres", variables: [] }],
      tags: ["docker"],
      retry: { max: 2, when: [], exitCodes: [] },
      timeout: 1800,
      interruptible: true,
      cache: [
        {
          key: "gems",
          paths: ["vendor"],
          policy: "pull-push",
          untracked: false,
          when: "on_success",
          fallbackKeys: [],
          unprotect: false,
        },
      ],
      artifacts: { paths: ["log"], exclude: [], when: "on_success" },
    });
  });

  test("a job's own value replaces the default, no merging; an empty list counts, null does not", () => {
    const b = job(yaml, "b");
    expect(b.image).toEqual({ name: "alpine" });
    expect(b.beforeScript).toEqual([]);
    expect(b.tags).toEqual(["docker"]);
  });

  test("without defaults: empty lists, no image, retry 0, not interruptible", () => {
    // planJob's defaults are the compiler's, spelled out once in pipeline.testing.ts.
    expect(job("job: {script: x}")).toEqual(planJob("job", 2, { stage: "test", script: ["x"] }));
  });
});

describe("job keywords", () => {
  test("timeout, retry, allow_failure with exit codes, coverage, artifacts, caches", () => {
    const j = job(`job:
  script: x
  timeout: 3 hours 30 minutes
  retry: {max: 2, when: [script_failure, runner_system_failure], exit_codes: 137}
  allow_failure: {exit_codes: [1, 2]}
  coverage: '/Coverage: \\d+\\.\\d+%/'
  artifacts: {name: report, paths: [out/], exclude: [out/tmp], when: always, expire_in: 1 week}
  cache: [{key: a, paths: [x], policy: pull}, {paths: [y]}]
`);
    expect(j.timeout).toBe(12_600);
    expect(j.retry).toEqual({ max: 2, when: ["script_failure", "runner_system_failure"], exitCodes: [137] });
    expect(j.allowFailure).toEqual({ exitCodes: [1, 2] });
    expect(j.coverage).toBe("Coverage: \\d+\\.\\d+%");
    expect(j.artifacts).toEqual({
      name: "report",
      paths: ["out/"],
      exclude: ["out/tmp"],
      when: "always",
      expireIn: "1 week",
    });
    expect(j.cache).toEqual([
      {
        key: "a",
        paths: ["x"],
        policy: "pull",
        untracked: false,
        when: "on_success",
        fallbackKeys: [],
        unprotect: false,
      },
      {
        key: "default",
        paths: ["y"],
        policy: "pull-push",
        untracked: false,
        when: "on_success",
        fallbackKeys: [],
        unprotect: false,
      },
    ]);
  });

  test("when: manual allows failure unless set; delayed keeps start_in in seconds", () => {
    const plan = planOf(`
manual: {script: x, when: manual}
blocking: {script: x, when: manual, allow_failure: false}
later: {script: x, when: delayed, start_in: 30 minutes}
always: {script: x, when: always}
`);
    expect(plan.jobs.map((j) => [j.name, j.when, j.allowFailure, j.startIn])).toEqual([
      ["manual", "manual", true, undefined],
      ["blocking", "manual", false, undefined],
      ["later", "delayed", false, 1800],
      ["always", "always", false, undefined],
    ]);
  });

  test("parallel: N names jobs `name i/N` and numbers them", () => {
    const plan = planOf("rspec: {script: x, parallel: 3}\n");
    expect(jobNames(plan)).toEqual(["rspec 1/3", "rspec 2/3", "rspec 3/3"]);
    expect(plan.jobs.map((j) => [j.baseName, j.parallel])).toEqual([
      ["rspec", { index: 1, total: 3 }],
      ["rspec", { index: 2, total: 3 }],
      ["rspec", { index: 3, total: 3 }],
    ]);
  });

  test("parallel: matrix makes the cross-product of each entry, with its variables", () => {
    const plan = planOf(`test:
  script: x
  variables: {PROVIDER: none, KEEP: 1}
  parallel:
    matrix:
      - PROVIDER: aws
        STACK: [monitoring, app1]
      - PROVIDER: [gcp, vultr]
        STACK: 3
`);
    expect(jobNames(plan)).toEqual([
      "test: [aws, monitoring]",
      "test: [aws, app1]",
      "test: [gcp, 3]",
      "test: [vultr, 3]",
    ]);
    expect(plan.jobs[1]!.variables).toEqual([
      { key: "PROVIDER", value: "aws", raw: false },
      { key: "KEEP", value: "1", raw: false },
      { key: "STACK", value: "app1", raw: false },
    ]);
    expect(plan.jobs[3]!.parallel).toEqual({ index: 4, total: 4 });
  });

  test("needs: names, hashes, [] to start at once, null when not written", () => {
    const plan = planOf(`
build: {stage: build, script: x}
lint: {stage: build, script: x}
unit: {script: x, needs: [build, {job: lint, optional: true, artifacts: false}]}
fast: {script: x, needs: []}
slow: {script: x}
`);
    const needs = Object.fromEntries(plan.jobs.map((j) => [j.name, j.needs]));
    expect(needs.unit).toEqual([
      { job: "build", optional: false },
      { job: "lint", optional: true, artifacts: false },
    ]);
    expect(needs.fast).toEqual([]);
    expect(needs.slow).toBeNull();
  });

  test("a need on a parallel job names the whole job; needs:parallel:matrix picks instances", () => {
    const plan = planOf(`
build:
  stage: build
  script: x
  parallel: {matrix: [{OS: [linux, mac], ARCH: [amd64, arm64]}]}
all: {script: x, needs: [build]}
some:
  script: x
  needs:
    - job: build
      parallel: {matrix: [{OS: linux, ARCH: [arm64, amd64]}]}
deps: {script: x, dependencies: [build]}
`);
    const byName = Object.fromEntries(plan.jobs.map((j) => [j.name, j]));
    expect(byName.all!.needs).toEqual([{ job: "build", optional: false }]);
    expect(byName.some!.needs).toEqual([
      { job: "build: [linux, arm64]", optional: false },
      { job: "build: [linux, amd64]", optional: false },
    ]);
    expect(byName.deps!.dependencies).toEqual([
      "build: [linux, amd64]",
      "build: [linux, arm64]",
      "build: [mac, amd64]",
      "build: [mac, arm64]",
    ]);
  });

  test("job names with spaces and colons; folded scripts", () => {
    const plan = planOf('"deploy: prod eu":\n  script: >\n    echo one\n    two\n');
    expect(plan.jobs[0]!.name).toBe("deploy: prod eu");
    expect(plan.jobs[0]!.script).toEqual(["echo one two\n"]);
  });
});

describe("compiling is repeatable", () => {
  test("the same text twice (the parse is remembered) gives the same plan; other contexts get their own", () => {
    const yaml = 'job:\n  script: [x]\n  rules: [{if: $CI_COMMIT_BRANCH == "main"}]\nother: {script: y}\n';
    const first = planOf(yaml);
    first.jobs[0]!.script.push("changed by a caller");
    expect(planOf(yaml)).toEqual({ ...first, jobs: [{ ...first.jobs[0]!, script: ["x"] }, first.jobs[1]!] });
    expect(jobNames(planOf(yaml, pushContext({ ref: "dev" })))).toEqual(["other"]);
  });
});
