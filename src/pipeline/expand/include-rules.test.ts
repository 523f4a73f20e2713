// `include:rules` (if, exists, changes, when), `include:template` refused with a way out, and include errors that
// name the including file.
import { afterAll, describe, expect, test } from "bun:test";
import { lintPipeline } from "../lint.ts";
import { errorsOf, gitRepo, jobNames, planOf, pushContext } from "../pipeline.testing.ts";

const repo = gitRepo({
  Dockerfile: "FROM scratch\n",
  "ci/docker.yml": "docker: {script: build}\n",
  "ci/docs.yml": "docs: {script: docs}\n",
  "ci/prod.yml": "prod: {script: deploy}\n",
  "ci/outer.yml": "include: ci/missing.yml\nouter: {script: x}\n",
  "envs/a.yml": "env-a: {script: a}\n",
  "envs/b.yml": "env-b: {script: b}\n",
});
afterAll(() => repo.dispose());

const main = `include:
  - local: ci/prod.yml
    rules:
      - if: $CI_COMMIT_BRANCH == "main"
  - local: ci/docker.yml
    rules:
      - exists: [Dockerfile]
  - local: ci/docs.yml
    rules:
      - changes: [docs/**/*]
x: {script: x}
`;

describe("include:rules", () => {
  test("if, exists and changes decide whether each file is included", () => {
    const changedDocs = pushContext({ changedPaths: ["docs/index.md"] });
    expect(jobNames(planOf(main, changedDocs, repo))).toEqual(["prod", "docker", "docs", "x"]);
    const feature = pushContext({ ref: "feature", changedPaths: ["src/a.ts"] });
    expect(jobNames(planOf(main, feature, repo))).toEqual(["docker", "x"]);
  });

  test("exists that matches nothing, and when: never, leave the file out", () => {
    const yaml = `include:
  - local: ci/docker.yml
    rules: [{exists: [Containerfile]}]
  - local: ci/prod.yml
    rules: [{if: $CI_COMMIT_BRANCH, when: never}]
  - local: ci/docs.yml
    rules: [{if: $NOPE}, {when: always}]
x: {script: x}
`;
    expect(jobNames(planOf(yaml, pushContext(), repo))).toEqual(["docs", "x"]);
  });

  test("a skipped file's errors are not reported (it is not read)", () => {
    const yaml = "include:\n  - local: ci/missing.yml\n    rules: [{if: $NOPE}]\nx: {script: x}\n";
    expect(jobNames(planOf(yaml, pushContext(), repo))).toEqual(["x"]);
  });

  test("a wrong rule is refused with the rule's message at its line", () => {
    expect(
      errorsOf("include:\n  - local: ci/docs.yml\n    rules: [{when: manual}]\nx: {script: x}\n", pushContext(), repo),
    ).toEqual(["include:rules:rule when unknown value: manual (line 3, column 20)"]);
    expect(
      errorsOf(
        "include:\n  - local: ci/docs.yml\n    rules: [{allow_failure: true}]\nx: {script: x}\n",
        pushContext(),
        repo,
      ),
    ).toEqual(["include:rules:rule config contains unknown keys: allow_failure (line 3, column 14)"]);
  });

  test("include:local with a wildcard, and under rules", () => {
    const yaml =
      "include:\n  - local: 'envs/*.yml'\n    rules: [{if: $CI_COMMIT_BRANCH == \"main\"}]\nx: {script: x}\n";
    expect(jobNames(planOf(yaml, pushContext(), repo))).toEqual(["env-a", "env-b", "x"]);
    expect(jobNames(planOf(yaml, pushContext({ ref: "other" }), repo))).toEqual(["x"]);
  });

  test("lint evaluates if with no variables and counts changes as matching", () => {
    const { valid, merged_yaml } = lintPipeline(main, repo);
    expect(valid).toBe(true);
    expect(merged_yaml).toContain("docker:");
    expect(merged_yaml).toContain("docs:");
    expect(merged_yaml).not.toContain("prod:");
  });
});

describe("include errors name the including file", () => {
  test("a missing file included from an included file is reported in that file, at its line", () => {
    expect(errorsOf("include: ci/outer.yml\nx: {script: x}\n", pushContext(), repo)).toEqual([
      "ci/outer.yml: Local file `ci/missing.yml` does not exist! (line 1, column 10)",
    ]);
  });
});

describe("include:template", () => {
  test("is refused with how to vendor the template and include it from a project", () => {
    const [error] = errorsOf(
      "include:\n  - template: Auto-DevOps.gitlab-ci.yml\nx: {script: x}\n",
      pushContext(),
      repo,
    );
    expect(error).toBe(
      "Included template `Auto-DevOps.gitlab-ci.yml`: porthole does not ship GitLab's CI/CD templates. " +
        "Copy the template into a repository of a porthole project (for example `templates/Auto-DevOps.gitlab-ci.yml` " +
        "in `group/ci-templates`) and include it with " +
        "`include: [{project: group/ci-templates, file: templates/Auto-DevOps.gitlab-ci.yml}]` (line 2, column 5)",
    );
  });
});
