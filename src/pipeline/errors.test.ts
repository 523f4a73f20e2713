import { describe, expect, test } from "bun:test";
import { formatError, MAIN_FILE } from "./errors.ts";
import { lintPipeline } from "./lint.ts";
import { errorsOf } from "./pipeline.testing.ts";

const lint = (yaml: string) => lintPipeline(yaml, null).errors;

describe("errors: GitLab's wording, with the offending node's line and column", () => {
  test.each([
    ["empty file", "  \n", "Please provide content of .gitlab-ci.yml (line 1, column 1)"],
    ["not a hash", "- a\n- b\n", "Invalid configuration format (line 1, column 1)"],
    [
      "unknown keys",
      "job:\n  script: x\n  foo: 1\n  bar: 2\n",
      "jobs:job config contains unknown keys: foo, bar (line 3, column 3)",
    ],
    [
      "unsupported keyword in a job",
      "job:\n  script: x\n  release: {tag_name: v1}\n",
      "jobs:job config uses unsupported keyword: release (line 3, column 3)",
    ],
    [
      "no script",
      "job:\n  stage: build\n",
      "jobs job config should implement the script:, run:, or trigger: keyword (line 1, column 1)",
    ],
    [
      "only hidden jobs",
      ".only: {script: x}\n",
      "jobs config should contain at least one visible job (line 1, column 1)",
    ],
    ["blank hidden job", ".hidden:\njob: {script: x}\n", "jobs:.hidden config can't be blank (line 1, column 1)"],
    ["empty script", "job:\n  script: []\n", "jobs:job script can't be blank (line 2, column 11)"],
    [
      "script of numbers",
      "job:\n  script: [1, 2]\n",
      "jobs:job:script config should be a string or a nested array of strings up to 10 levels deep (line 2, column 11)",
    ],
    [
      "undeclared stage",
      "job:\n  script: x\n  stage: nope\n",
      "job job: chosen stage nope does not exist; available stages are .pre, build, test, deploy, .post (line 3, column 10)",
    ],
    [
      "bad when",
      "job:\n  script: x\n  when: sometimes\n",
      "jobs:job when should be one of: on_success, on_failure, always, manual, delayed (line 3, column 9)",
    ],
    [
      "rules with only",
      "job:\n  script: x\n  rules: [{if: $A}]\n  only: [main]\n",
      "jobs:job config key may not be used with `rules`: only (line 4, column 3)",
    ],
    [
      "bad if",
      "job:\n  script: x\n  rules:\n    - if: $A = 'x'\n",
      "jobs:job:rules:rule if invalid expression syntax (line 4, column 11)",
    ],
    [
      "bad rules:when",
      "job:\n  script: x\n  rules:\n    - when: later\n",
      "jobs:job:rules:rule when unknown value: later (line 4, column 13)",
    ],
    ["undefined need", "job:\n  script: x\n  needs: [build]\n", "job job: undefined need: build (line 3, column 11)"],
    [
      "need in a later stage",
      "build: {stage: deploy, script: x}\njob:\n  script: x\n  needs: [build]\n",
      "job job: need build is not defined in current or prior stages (line 4, column 11)",
    ],
    [
      "duplicated needs",
      "job:\n  script: x\n  needs: [a, a]\na: {stage: build, script: x}\n",
      "job has the following needs duplicated: a. (line 3, column 11)",
    ],
    [
      "circular needs",
      "a: {script: x, needs: [b]}\nb: {script: x, needs: [a]}\n",
      "The pipeline has circular dependencies (line 2, column 24)",
    ],
    [
      "undefined dependency",
      "job:\n  script: x\n  dependencies: [nope]\n",
      "job job: undefined dependency: nope (line 3, column 18)",
    ],
    [
      "tags not a list",
      "job:\n  script: x\n  tags: docker\n",
      "jobs:job:tags config should be an array of strings (line 3, column 9)",
    ],
    [
      "bad expire_in",
      "job:\n  script: x\n  artifacts: {expire_in: soonish}\n",
      "jobs:job:artifacts expire in should be a duration (line 3, column 26)",
    ],
    [
      "timeout over a month",
      "job:\n  script: x\n  timeout: 2 months\n",
      "jobs:job:timeout config should not exceed the limit (line 3, column 12)",
    ],
    [
      "timeout as a number",
      "job:\n  script: x\n  timeout: 3600\n",
      "jobs:job:timeout config should be a duration (line 3, column 12)",
    ],
    [
      "retry over 2",
      "job:\n  script: x\n  retry: 3\n",
      "jobs:job:retry config must be less than or equal to 2 (line 3, column 10)",
    ],
    [
      "unknown retry reason",
      "job:\n  script: x\n  retry: {max: 1, when: [oops]}\n",
      "jobs:job:retry when contains unknown values: oops (line 3, column 25)",
    ],
    [
      "parallel over 200",
      "job:\n  script: x\n  parallel: 201\n",
      "jobs:job:parallel config must be less than or equal to 200 (line 3, column 13)",
    ],
    [
      "parallel as a string",
      "job:\n  script: x\n  parallel: '5'\n",
      "jobs:job:parallel should be an integer or a hash (line 3, column 13)",
    ],
    [
      "matrix too big",
      "job:\n  script: x\n  parallel:\n    matrix:\n      - {A: [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15], B: [1,2,3,4,5,6,7,8,9,10,11,12,13,14]}\n",
      "jobs:job:parallel:matrix config generates too many jobs (maximum is 200) (line 5, column 7)",
    ],
    [
      "delayed without start_in",
      "job:\n  script: x\n  when: delayed\n",
      "jobs:job start in should be a duration (line 3, column 3)",
    ],
    [
      "start_in too long",
      "job:\n  script: x\n  when: delayed\n  start_in: 8 days\n",
      "jobs:job start in should not exceed the limit (line 4, column 13)",
    ],
    [
      "start_in without delayed",
      "job:\n  script: x\n  start_in: 1 hour\n",
      "jobs:job start in must be blank (line 3, column 13)",
    ],
    [
      "variable name",
      "job:\n  script: x\n  variables: {MY-VAR: 1}\n",
      "jobs:job:variables:MY-VAR key can contain only letters, digits and '_' (line 3, column 15)",
    ],
    [
      "variable as a list",
      "job:\n  script: x\n  variables: {A: [1]}\n",
      "jobs:job:variables:A variable definition must be either a string or a hash (line 3, column 18)",
    ],
    [
      "job variable description",
      "job:\n  script: x\n  variables: {A: {value: 1, description: d}}\n",
      "jobs:job:variables:A config uses invalid data keys: description (line 3, column 18)",
    ],
    [
      "cache key with /",
      "job:\n  script: x\n  cache: {key: a/b}\n",
      'jobs:job:cache:key config cannot contain the "/" character (line 3, column 16)',
    ],
    [
      "five caches",
      "job:\n  script: x\n  cache: [{}, {}, {}, {}, {}]\n",
      "jobs:job:cache config no more than 4 caches can be created (line 3, column 10)",
    ],
    [
      "image pull_policy",
      "job:\n  script: x\n  image: {name: ruby, pull_policy: always}\n",
      "jobs:job:image config uses unsupported keyword: pull_policy (line 3, column 23)",
    ],
    [
      "services not a list",
      "job:\n  script: x\n  services: postgres\n",
      "jobs:job:services config should be an array (line 3, column 13)",
    ],
    [
      "artifacts:reports of an unknown type",
      "job:\n  script: x\n  artifacts:\n    reports: {junitt: r.xml}\n",
      "jobs:job:artifacts:reports config contains unknown keys: junitt (line 4, column 15)",
    ],
    [
      "only as a string",
      "job:\n  script: x\n  only: main\n",
      "jobs:job:only has to be either an array of conditions or a hash (line 3, column 9)",
    ],
    [
      "only with a bad regex",
      "job:\n  script: x\n  only: ['/(unclosed/']\n",
      "jobs:job:only config should be an array of strings or regular expressions using re2 syntax (line 3, column 9)",
    ],
    [
      "only:kubernetes",
      "job:\n  script: x\n  only: {kubernetes: active}\n",
      "jobs:job:only config uses unsupported keyword: kubernetes (line 3, column 10)",
    ],
    [
      "coverage without slashes",
      "job:\n  script: x\n  coverage: 'Coverage'\n",
      "jobs:job:coverage config must be a regular expression with re2 syntax (line 3, column 13)",
    ],
    [
      "allow_failure word",
      "job:\n  script: x\n  allow_failure: maybe\n",
      "jobs:job:allow_failure config should be a hash or a boolean value (line 3, column 18)",
    ],
    [
      "interruptible number",
      "job:\n  script: x\n  interruptible: 1\n",
      "jobs:job:interruptible config should be a boolean value (line 3, column 18)",
    ],
    [
      "unknown extends",
      "job:\n  script: x\n  extends: .nope\n",
      "job: unknown keys in `extends` (.nope) (line 3, column 12)",
    ],
    [
      "missing !reference",
      "job:\n  script: !reference [.x, script]\n",
      '!reference [".x", "script"] could not be found (line 2, column 22)',
    ],
    [
      "remote include",
      "include: https://example.com/ci.yml\njob: {script: x}\n",
      "Remote file `https://example.com/ci.yml` could not be fetched: no remote files are read here (line 1, column 10)",
    ],
    [
      "project include",
      "include: {project: a/b, file: c.yml}\njob: {script: x}\n",
      "Project `a/b` not found or access denied! Make sure any includes in the pipeline configuration are correctly defined. (line 1, column 10)",
    ],
    [
      "top-level and default",
      "image: ruby\ndefault: {image: alpine}\njob: {script: x}\n",
      "image is defined in top-level and `default:` entry (line 1, column 1)",
    ],
    [
      "workflow:name",
      "workflow:\n  name: [x]\njob: {script: x}\n",
      "workflow name should be a string (line 2, column 9)",
    ],
    [
      "workflow when manual",
      "workflow:\n  rules: [{when: manual}]\njob: {script: x}\n",
      "workflow:rules:rule when unknown value: manual (line 2, column 18)",
    ],
    [
      "stages as a string",
      "stages: build\njob: {script: x}\n",
      "stages config should be an array of strings or a nested array of strings up to 10 levels deep (line 1, column 9)",
    ],
    [
      "YAML date",
      "job:\n  script: x\n  variables: {SINCE: 2024-01-31}\n",
      "Tried to load unspecified class: Date (line 3, column 22)",
    ],
  ])("%s", (_, yaml, expected) => {
    expect(lint(yaml)).toEqual([expected]);
  });

  test("all errors are collected, not only the first, in file order", () => {
    expect(lint("a:\n  script: x\n  when: later\nb:\n  script: x\n  tags: t\n  retry: 9\n")).toEqual([
      "jobs:a when should be one of: on_success, on_failure, always, manual, delayed (line 3, column 9)",
      "jobs:b:tags config should be an array of strings (line 6, column 9)",
      "jobs:b:retry config must be less than or equal to 2 (line 7, column 10)",
    ]);
  });

  test("a YAML syntax error is one line with its position", () => {
    const [error, ...rest] = lint("job:\n  script: [a\nother: b\n");
    expect(rest).toEqual([]);
    expect(error).toMatch(/^[^\n]+ \(line 3, column 1\)$/);
  });

  test("the same errors come out of compilePipeline", () => {
    expect(errorsOf("job:\n  script: x\n  foo: 1\n")).toEqual([
      "jobs:job config contains unknown keys: foo (line 3, column 3)",
    ]);
  });

  test("formatError names the file unless it is the main one", () => {
    expect(formatError({ message: "m", file: MAIN_FILE, line: 2, column: 3 })).toBe("m (line 2, column 3)");
    expect(formatError({ message: "m", file: "ci/a.yml", line: 2, column: 3 })).toBe("ci/a.yml: m (line 2, column 3)");
    expect(formatError({ message: "m" })).toBe("m");
  });
});
