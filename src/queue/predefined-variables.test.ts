import { expect, test } from "bun:test";
import type { CommitInfo } from "../domain/commit.ts";
import { NULL_SHA } from "../domain/commit.ts";
import type { PipelineRow, ProjectRow } from "../store/rows.ts";
import { VERSION } from "../version.ts";
import { type PredefinedContext, predefinedVariables } from "./predefined-variables.ts";

const project = {
  id: 7,
  name: "Web App",
  path: "web",
  namespace: "alice",
  description: null,
  visibility: "private",
  ciConfigPath: ".gitlab-ci.yml",
  defaultBranch: "main",
} as ProjectRow;
const commit: CommitInfo = {
  title: "Fix the build",
  message: "Fix the build\n\nIt was broken.\n",
  authorName: "Alice Example",
  authorEmail: "alice@example.com",
  authoredAt: "2026-12-01T10:00:00+01:00",
  committerName: "Bob",
  committerEmail: "bob@example.com",
  committedAt: "2026-12-01T11:00:00+01:00",
  parentIds: [],
};
const pipeline = {
  id: 40,
  iid: 3,
  ref: "release/1",
  tag: false,
  sha: "a".repeat(40),
  source: "api",
  beforeSha: NULL_SHA,
  commit,
  createdAt: new Date("2026-12-01T12:00:00.123Z"),
} as PipelineRow;

const vars = (over: Partial<PredefinedContext> = {}) =>
  Object.fromEntries(
    predefinedVariables({
      externalUrl: "https://ci.example.com/porthole",
      project,
      pipeline,
      protectedBranches: ["main", "release/*"],
      ...over,
    }).map((v) => [v.key, v.value]),
  );

test("server variables come from external_url, the port from its scheme when it names none", () => {
  expect(vars()).toMatchObject({
    CI_SERVER_URL: "https://ci.example.com/porthole",
    CI_API_V4_URL: "https://ci.example.com/porthole/api/v4",
    CI_SERVER_HOST: "ci.example.com",
    CI_SERVER_PORT: "443",
    CI_SERVER_PROTOCOL: "https",
    CI_SERVER_VERSION: VERSION,
    CI_REPOSITORY_URL: "https://gitlab-ci-token:[MASKED]@ci.example.com/porthole/alice/web.git",
  });
  expect(vars({ externalUrl: "http://127.0.0.1:8080", jobToken: "glcbt-abc" })).toMatchObject({
    CI_SERVER_PORT: "8080",
    CI_SERVER_PROTOCOL: "http",
    CI_REPOSITORY_URL: "http://gitlab-ci-token:glcbt-abc@127.0.0.1:8080/alice/web.git",
  });
});

test("commit variables: message, title, description, author, timestamp, before sha, protected ref", () => {
  expect(vars()).toMatchObject({
    CI_COMMIT_MESSAGE: "Fix the build\n\nIt was broken.\n",
    CI_COMMIT_TITLE: "Fix the build",
    CI_COMMIT_DESCRIPTION: "It was broken.\n",
    CI_COMMIT_AUTHOR: "Alice Example <alice@example.com>",
    CI_COMMIT_TIMESTAMP: "2026-12-01T11:00:00+01:00",
    CI_COMMIT_BEFORE_SHA: NULL_SHA,
    CI_COMMIT_REF_PROTECTED: "true",
    CI_COMMIT_BRANCH: "release/1",
    CI_PIPELINE_CREATED_AT: "2026-12-01T12:00:00Z",
  });
  expect(vars({ protectedBranches: ["main"] }).CI_COMMIT_REF_PROTECTED).toBe("false");
  const tagged = vars({ pipeline: { ...pipeline, tag: true, commit: { ...commit, tagMessage: "Release one\n" } } });
  expect(tagged).toMatchObject({
    CI_COMMIT_TAG: "release/1",
    CI_COMMIT_TAG_MESSAGE: "Release one",
    CI_COMMIT_REF_PROTECTED: "false",
  });
  expect(tagged.CI_COMMIT_BRANCH).toBeUndefined();
});

test("a pipeline without a commit (inline CI file) has no commit message variables; a triggered one says so", () => {
  const inline = vars({ pipeline: { ...pipeline, commit: null, source: "pipeline" } });
  expect(inline.CI_COMMIT_MESSAGE).toBeUndefined();
  expect(inline.CI_COMMIT_SHA).toBe(pipeline.sha);
  expect(inline.CI_PIPELINE_TRIGGERED).toBe("true");
});
