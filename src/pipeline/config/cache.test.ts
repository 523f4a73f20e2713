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

  test.each([
    ["{key: {files: [a, b, c]}}", "jobs:job:cache:cache:key:files config has to be an array of at most 2 paths"],
    ["{key: {prefix: p}}", "jobs:job:cache:cache:key config missing required keys: files"],
    ["{key: {files: [a], prefix: a/b}}", 'jobs:job:cache:cache:key:prefix config cannot contain the "/" character'],
    ["{when: never}", "jobs:job:cache:cache when should be on_success, on_failure or always"],
    ["{untracked: yes please}", "jobs:job:cache:cache:untracked config should be a boolean value"],
    ["{unprotect: 1}", "jobs:job:cache:cache:unprotect config should be a boolean value"],
    ["{fallback_keys: [a, b, c, d, e, f]}", "jobs:job:cache:cache:fallback_keys config must not exceed 5 keys"],
    ["{fallback_keys: [a/b]}", 'jobs:job:cache:cache:fallback_keys config cannot contain the "/" character'],
    ["{paths: [a], colour: red}", "jobs:job:cache:cache config contains unknown keys: colour"],
  ])("%s: %s", (cache, message) => {
    expect(errorsOf(jobWith(cache)).join("\n")).toContain(message);
  });
});
