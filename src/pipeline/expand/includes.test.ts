import { afterAll, describe, expect, test } from "bun:test";
import { lintPipeline } from "../lint.ts";
import { errorsOf, gitRepo, jobNames, planOf, pushContext } from "../pipeline.testing.ts";

const repo = gitRepo({
  "ci/build.yml": "variables: {FROM: build}\nbuild:\n  stage: build\n  script: make\n  tags: [shared]\n",
  "ci/test.yml": "include: ci/nested/deep.yml\ntest:\n  script: make test\n  variables: {FROM: test}\n",
  "ci/nested/deep.yml": ".template:\n  image: ruby:3\n",
  "ci/lint.yaml": "lint: {stage: .pre, script: lint}\n",
  "ci/notes.txt": "not yaml\n",
  "ci/empty.yml": "\n",
  "ci/broken.yml": "job:\n  script: [a\nx: y\n",
  "ci/list.yml": "- a\n",
  "ci/loop-a.yml": "include: ci/loop-b.yml\na: {script: a}\n",
  "ci/loop-b.yml": "include: ci/loop-a.yml\nb: {script: b}\n",
  "envs/prod/deploy.yml": "deploy-prod: {stage: deploy, script: d}\n",
  "envs/staging/deploy.yml": "deploy-staging: {stage: deploy, script: d}\n",
  ...Object.fromEntries(
    Array.from({ length: 151 }, (_, i) => [`many/f${String(i).padStart(3, "0")}.yml`, `j${i}: {script: x}\n`]),
  ),
});
afterAll(() => repo.dispose());

describe("include:local", () => {
  test("a string, a list, {local}; nested includes; included files first, the including file wins", () => {
    const plan = planOf(
      `include:
  - ci/build.yml
  - local: /ci/test.yml
variables: {FROM: main}
build:
  tags: [mine]
test:
  extends: .template
`,
      pushContext(),
      repo,
    );
    expect(jobNames(plan)).toEqual(["build", "test"]);
    expect(plan.variables).toEqual([{ key: "FROM", value: "main", raw: false }]);
    const [build, test] = plan.jobs;
    expect([build!.script, build!.tags]).toEqual([["make"], ["mine"]]);
    expect([test!.image, test!.variables]).toEqual([{ name: "ruby:3" }, [{ key: "FROM", value: "test", raw: false }]]);
  });

  test("globs: * stays in a directory, ** crosses directories (GitLab's rule)", () => {
    expect(jobNames(planOf("include: 'envs/*/deploy.yml'\nx: {script: x}\n", pushContext(), repo))).toEqual([
      "x",
      "deploy-prod",
      "deploy-staging",
    ]);
    expect(jobNames(planOf("include: 'ci/**.yaml'\nx: {script: x}\n", pushContext(), repo))).toEqual(["lint", "x"]);
    expect(jobNames(planOf("include: 'env*/deploy.yml'\nx: {script: x}\n", pushContext(), repo))).toEqual(["x"]);
  });

  test("$VARIABLES in paths expand from the pipeline's variables", () => {
    const ctx = pushContext({ variables: { ENV: "prod" } });
    expect(jobNames(planOf("include: envs/$ENV/deploy.yml\nx: {script: x}\n", ctx, repo))).toEqual([
      "x",
      "deploy-prod",
    ]);
  });

  test("a file that includes its includer is merged once", () => {
    expect(jobNames(planOf("include: ci/loop-a.yml\n", pushContext(), repo))).toEqual(["b", "a"]);
  });

  test("errors name the file and say why, at the include entry", () => {
    const cases: [string, string][] = [
      ["missing.yml", "Local file `missing.yml` does not exist! (line 1, column 10)"],
      ["/ci//missing.yml", "Local file `/ci//missing.yml` does not exist! (line 1, column 10)"],
      ["ci/notes.txt", "Included file `ci/notes.txt` does not have YAML extension! (line 1, column 10)"],
      ["ci/empty.yml", "Local file `ci/empty.yml` is empty! (line 1, column 10)"],
      ["ci/list.yml", "Included file `ci/list.yml` does not have valid YAML syntax! (line 1, column 10)"],
      ["../outside.yml", "Included file `../outside.yml` is outside the repository (line 1, column 10)"],
      ["[5]", "Each include must be a hash or a string (line 1, column 11)"],
      [
        "{remote: 'https://example.com/a.yml'}",
        "Remote file `https://example.com/a.yml` could not be fetched: no remote files are read here (line 1, column 10)",
      ],
      ["{file: x.yml}", "include config uses unsupported keyword: file (line 1, column 10)"],
      ["{locl: x.yml}", "include config contains unknown keys: locl (line 1, column 10)"],
    ];
    for (const [entry, error] of cases)
      expect(errorsOf(`include: ${entry}\nx: {script: x}\n`, pushContext(), repo)).toEqual([error]);
  });

  test("a YAML error in an included file is reported in that file", () => {
    const [error] = errorsOf("include: ci/broken.yml\nx: {script: x}\n", pushContext(), repo);
    expect(error).toMatch(/^ci\/broken\.yml: .+ \(line 3, column 1\)$/);
  });

  test("at most 150 files", () => {
    expect(errorsOf("include: 'many/*.yml'\nx: {script: x}\n", pushContext(), repo)).toEqual([
      "Maximum of 150 nested includes are allowed! (line 1, column 10)",
    ]);
  });

  test("an error points into the file where the offending value was written", () => {
    expect(lintPipeline("include: ci/build.yml\nstages: [test]\n", repo).errors).toEqual([
      "ci/build.yml: build job: chosen stage build does not exist; available stages are .pre, test, .post (line 3, column 10)",
    ]);
    expect(lintPipeline("include: ci/build.yml\nbuild: {tags: oops}\n", repo).errors).toEqual([
      "jobs:build:tags config should be an array of strings (line 2, column 15)",
    ]);
    expect(lintPipeline("include: ci/test.yml\ntest: {image: {name: 1}}\n", repo).errors).toEqual([
      "jobs:test:image name should be a string (line 2, column 22)",
    ]);
  });

  test("merged_yaml shows the configuration after includes", () => {
    const { valid, merged_yaml } = lintPipeline("include: ci/build.yml\nbuild: {tags: [mine]}\n", repo);
    expect(valid).toBe(true);
    expect(merged_yaml).toBe(
      "variables:\n  FROM: build\nbuild:\n  stage: build\n  script: make\n  tags:\n    - mine\n",
    );
  });
});

describe("include limits", () => {
  test("all included text together is limited (GitLab's message)", () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) files[`big/f${i}.yml`] = `.f${i}: {a: 1}\n#${"x".repeat(1_900_000)}\n`;
    const big = gitRepo(files);
    try {
      expect(errorsOf("include: 'big/*.yml'\nx: {script: x}\n", pushContext(), big)).toEqual([
        "Total size of combined CI/CD configuration is too big (line 1, column 10)",
      ]);
    } finally {
      big.dispose();
    }
  });
});
