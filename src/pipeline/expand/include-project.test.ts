// `include:project`: files of another project at a ref, through the repository's `openProject`; GitLab's messages.
import { afterAll, describe, expect, test } from "bun:test";
import { lintPipeline } from "../lint.ts";
import { errorsOf, gitRepo, jobNames, planOf, pushContext } from "../pipeline.testing.ts";
import type { RepositoryFiles } from "../types.ts";

const templates = gitRepo({
  "templates/build.yml": "include: templates/nested.yml\nbuild: {stage: build, script: make}\n",
  "templates/nested.yml": ".base: {image: alpine}\n",
  "templates/test.yml": "test: {extends: .base, script: test}\n",
  "templates/empty.yml": "\n",
});
const own = gitRepo({ "ci/own.yml": "own: {script: own}\n" });
afterAll(() => {
  templates.dispose();
  own.dispose();
});

/** The pipeline's repository; it can open `group/ci-templates` at `main` or `v1`, and nothing else. */
const repo: RepositoryFiles = {
  read: own.read,
  list: own.list,
  openProject: (project, ref) =>
    project !== "group/ci-templates" ? "not_found" : ["main", "v1", "HEAD"].includes(ref) ? templates : "no_ref",
};

describe("include:project", () => {
  test("a list of files at a ref, nested local includes read from that project", () => {
    const yaml = `include:
  - project: group/ci-templates
    ref: v1
    file: [templates/build.yml, /templates/test.yml]
  - local: ci/own.yml
stages: [build, test]
`;
    const plan = planOf(yaml, pushContext(), repo);
    expect(jobNames(plan)).toEqual(["build", "test", "own"]);
    expect(plan.jobs.find((j) => j.name === "test")!.image).toEqual({ name: "alpine" });
  });

  test("ref defaults to the project's HEAD; the project path is case-insensitive, as GitLab's", () => {
    const yaml = "include: {project: Group/CI-Templates, file: templates/build.yml}\nstages: [build]\n";
    expect(jobNames(planOf(yaml, pushContext(), repo))).toEqual(["build"]);
  });

  test("$VARIABLES expand in project, ref and file", () => {
    const ctx = pushContext({ variables: { TPL: "group/ci-templates", TPL_REF: "v1" } });
    const yaml = "include: {project: $TPL, ref: $TPL_REF, file: templates/build.yml}\nstages: [build]\n";
    expect(jobNames(planOf(yaml, ctx, repo))).toEqual(["build"]);
  });

  test.each([
    [
      "{project: group/secret, file: a.yml}",
      "Project `group/secret` not found or access denied! Make sure any includes in the pipeline configuration are correctly defined.",
    ],
    [
      "{project: group/ci-templates, ref: nope, file: a.yml}",
      "Project `group/ci-templates` reference `nope` does not exist!",
    ],
    [
      "{project: group/ci-templates, file: missing.yml}",
      "Project `group/ci-templates` file `missing.yml` does not exist!",
    ],
    [
      "{project: group/ci-templates, file: templates/empty.yml}",
      "Project `group/ci-templates` file `templates/empty.yml` is empty!",
    ],
    ["{project: group/ci-templates}", "include config missing required keys: file"],
    ["{project: group/ci-templates, file: [a.yml, 1]}", "include file should be a string or an array of strings"],
    ["{project: group/ci-templates, local: a.yml}", "does not have a valid subkey for include"],
  ])("%s: %s", (entry, message) => {
    expect(errorsOf(`include: ${entry}\nx: {script: x}\n`, pushContext(), repo).join("\n")).toContain(message);
  });

  test("without a way to open projects (no repository, or lint), every project is not found", () => {
    expect(
      errorsOf("include: {project: group/ci-templates, file: a.yml}\nx: {script: x}\n", pushContext(), own),
    ).toEqual([
      "Project `group/ci-templates` not found or access denied! Make sure any includes in the pipeline configuration are correctly defined. (line 1, column 10)",
    ]);
  });

  test("a missing file included from the other project's file names that project and file", () => {
    const broken = gitRepo({ "a.yml": "include: gone.yml\na: {script: a}\n" });
    try {
      const withBroken: RepositoryFiles = { ...repo, openProject: () => broken };
      expect(errorsOf("include: {project: group/x, file: a.yml}\nx: {script: x}\n", pushContext(), withBroken)).toEqual(
        ["group/x@HEAD:a.yml: Project `group/x` file `gone.yml` does not exist! (line 1, column 10)"],
      );
    } finally {
      broken.dispose();
    }
  });

  test("lint lists the files read as GitLab's `includes`: type, location, extra, and who included each", () => {
    const withSha: RepositoryFiles = { ...repo, openProject: () => ({ ...templates, sha: "feed" }) };
    const yaml = "include:\n  - {project: group/ci-templates, ref: v1, file: templates/build.yml}\n  - ci/own.yml\n";
    const none = { blob: null, raw: null };
    expect(lintPipeline(yaml, withSha).includes).toEqual([
      {
        type: "file",
        location: "templates/build.yml",
        ...none,
        extra: { project: "group/ci-templates", ref: "v1" },
        context_project: null,
        context_sha: null,
      },
      {
        type: "local",
        location: "templates/nested.yml",
        ...none,
        extra: {},
        context_project: "group/ci-templates",
        context_sha: "feed",
      },
      { type: "local", location: "ci/own.yml", ...none, extra: {}, context_project: null, context_sha: null },
    ]);
  });
});
