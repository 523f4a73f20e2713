// GitLab's job response as gitlab-runner reads it becomes the runner's payload: steps, image, services, sources.
import { describe, expect, test } from "bun:test";
import { gitlabJobSchema, toJobPayload } from "./gitlab-job.ts";

const LIMITS = { maxFiles: 100, maxBytes: 1024 };

const base = {
  id: 7,
  token: "glcbt-abcdefghijklmnop",
  job_info: { id: 7, name: "build", stage: "test", project_id: 3, project_name: "app" },
  git_info: {
    repo_url: "http://gitlab-ci-token:glcbt-x@ci/g/app.git",
    ref: "v1",
    sha: "a".repeat(40),
    ref_type: "tag",
  },
  runner_info: { timeout: 600 },
  variables: [
    { key: "CI_PROJECT_PATH", value: "g/app", public: true, masked: false },
    { key: "CI_PIPELINE_ID", value: "12", public: true, masked: false },
    { key: "SECRET", value: "hidden-value", public: false, masked: true, raw: true },
  ],
  steps: [
    { name: "script", script: ["echo one", "echo two"], timeout: 600, when: "on_success" },
    { name: "after_script", script: ["echo after"], timeout: 600, when: "always" },
  ],
  image: { name: "alpine:3", entrypoint: [""], ports: [] },
  services: [{ name: "redis:7", alias: "cache", entrypoint: null, command: ["redis-server"], variables: [] }],
  cache: [
    {
      key: "deps-1-non_protected",
      untracked: false,
      policy: "pull-push",
      paths: ["node_modules/"],
      when: "on_success",
      fallback_keys: ["main-1-non_protected"],
    },
  ],
};

describe("GitLab job → runner payload", () => {
  test("steps, variables, image, services, timeout and a tag's sources", () => {
    const p = toJobPayload(gitlabJobSchema.parse(base), LIMITS);
    expect(p).toMatchObject({
      id: 7,
      name: "build",
      stage: "test",
      projectId: 3,
      projectPath: "g/app",
      pipelineId: 12,
      script: ["echo one", "echo two"],
      afterScript: ["echo after"],
      image: { name: "alpine:3", entrypoint: [""] },
      services: [{ name: "redis:7", alias: "cache", command: ["redis-server"], variables: [] }],
      sources: { kind: "git", url: base.git_info.repo_url, sha: "a".repeat(40), ref: "v1", tag: true },
      timeoutSeconds: 600,
      caches: [
        {
          key: "deps-1-non_protected",
          paths: ["node_modules/"],
          untracked: false,
          policy: "pull-push",
          when: "on_success",
          fallbackKeys: ["main-1-non_protected"],
          keySuffix: "",
        },
      ],
    });
    expect(p.variables.find((v) => v.key === "SECRET")).toEqual({
      key: "SECRET",
      value: "hidden-value",
      masked: true,
      raw: true,
    });
    expect(p.variables.find((v) => v.key === "CI_JOB_TOKEN")).toEqual({
      key: "CI_JOB_TOKEN",
      value: base.token,
      masked: true,
      raw: true,
    });
  });

  test("GIT_STRATEGY=none or no sha: no sources to fetch", () => {
    const none = { ...base, variables: [...base.variables, { key: "GIT_STRATEGY", value: "none" }] };
    expect(toJobPayload(gitlabJobSchema.parse(none), LIMITS).sources).toEqual({ kind: "none" });
    const noSha = { ...base, git_info: { ...base.git_info, sha: "" } };
    expect(toJobPayload(gitlabJobSchema.parse(noSha), LIMITS).sources).toEqual({ kind: "none" });
  });

  test("a job without an after_script step or image has none", () => {
    const bare = { ...base, steps: [base.steps[0]], image: null, services: null };
    const p = toJobPayload(gitlabJobSchema.parse(bare), LIMITS);
    expect([p.afterScript, p.image, p.services]).toEqual([[], undefined, []]);
  });
});
