// `cache:` in the compiler: every keyword read into the plan, and GitLab's message for each wrong use.
import { describe, expect, test } from "bun:test";
import { errorsOf, planOf } from "../pipeline.testing.ts";

const jobWith = (cache: string) => `job:\n  script: x\n  cache: ${cache}\n`;

describe("cache", () => {
  test("key:files with a prefix, untracked, when, fallback_keys and unprotect reach the plan", () => {
    const plan = planOf(
      jobWith(
        "{key: {files: [Gemfile.lock, package-lock.json], prefix: $CI_JOB_NAME}, paths: [vendor/], untracked: true, when: always, policy: push, fallback_keys: [main-cache], unprotect: true}",
      ),
    );
    expect(plan.jobs[0]!.cache).toEqual([
      {
        key: "default",
        keyFiles: ["Gemfile.lock", "package-lock.json"],
        keyPrefix: "$CI_JOB_NAME",
        paths: ["vendor/"],
        untracked: true,
        policy: "push",
        when: "always",
        fallbackKeys: ["main-cache"],
        unprotect: true,
      },
    ]);
  });

  test("an aliased list inside the list is flattened, as GitLab's ComposableArray does", () => {
    const plan = planOf(`.cached: &cached
  - {key: gems, paths: [vendor/]}
  - {key: node, paths: [node_modules/]}
tests:
  script: x
  cache: [*cached, {key: own, paths: [tmp/]}]
`);
    expect(plan.jobs[0]!.cache.map((c) => [c.key, c.paths])).toEqual([
      ["gems", ["vendor/"]],
      ["node", ["node_modules/"]],
      ["own", ["tmp/"]],
    ]);
  });

  test("more than four caches after flattening are refused at the job's cache", () => {
    const yaml = ".c: &c [{key: a}, {key: b}, {key: c}]\ntests:\n  script: x\n  cache: [*c, {key: d}, {key: e}]\n";
    expect(errorsOf(yaml)).toEqual([
      "jobs:tests:cache config no more than 4 caches can be created (line 4, column 10)",
    ]);
  });

  // GitLab's own cases (spec/lib/gitlab/ci/yaml_processor_spec.rb): messages name `jobs:rspec:cache:key`.
  test.each([
    ["{key: [a]}", "jobs:rspec:cache:key should be a hash, a string or a symbol"],
    ["{key: {prefix: prefix-key}}", "jobs:rspec:cache:key config missing required keys: files"],
    ["{untracked: string}", "jobs:rspec:cache:untracked config should be a boolean value"],
    ["{paths: string}", "jobs:rspec:cache:paths config should be an array of strings"],
    ["[{key: a}, {paths: string}]", "jobs:rspec:cache:paths config should be an array of strings"],
  ])("GitLab's path: %s", (cache, message) => {
    expect(errorsOf(`rspec:\n  script: test\n  cache: ${cache}\n`).join("\n")).toContain(message);
  });

  test.each([
    ["{key: {files: [a, b, c]}}", "jobs:job:cache:key:files config has to be an array of at most 2 paths"],
    ["{key: {prefix: p}}", "jobs:job:cache:key config missing required keys: files"],
    ["{key: {files: [a], prefix: a/b}}", 'jobs:job:cache:key:prefix config cannot contain the "/" character'],
    ["{when: never}", "jobs:job:cache when should be on_success, on_failure or always"],
    ["{untracked: yes please}", "jobs:job:cache:untracked config should be a boolean value"],
    ["{unprotect: 1}", "jobs:job:cache:unprotect config should be a boolean value"],
    ["{fallback_keys: [a, b, c, d, e, f]}", "jobs:job:cache:fallback_keys config must not exceed 5 keys"],
    ["{fallback_keys: [a/b]}", 'jobs:job:cache:fallback_keys config cannot contain the "/" character'],
    ["{paths: [a], colour: red}", "jobs:job:cache config contains unknown keys: colour"],
  ])("%s: %s", (cache, message) => {
    expect(errorsOf(jobWith(cache)).join("\n")).toContain(message);
  });
});
