// `include:component`: GitLab's component addresses resolved through `openProject`, files under `templates/`,
// inputs, and GitLab's messages (its `Ci::Components::FetchService` and `InstancePath` specs).
import { afterAll, describe, expect, test } from "bun:test";
import { compilePipeline } from "../compile.ts";
import { lintPipeline } from "../lint.ts";
import { errorsOf, gitRepo, jobNames, planOf, pushContext } from "../pipeline.testing.ts";
import type { RepositoryFiles } from "../types.ts";
import { parseComponentAddress } from "./include-component.ts";

const components = gitRepo({
  "templates/secret-detection.yml": `spec:
  inputs:
    stage:
      default: test
    job-prefix:
---
"$[[ inputs.job-prefix ]]-scan":
  stage: $[[ inputs.stage ]]
  script: echo scanning in $[[ inputs.stage ]]
`,
  "templates/deploy/template.yml": "include: templates/shared.yml\ndeploy: {stage: deploy, extends: .shared}\n",
  "templates/shared.yml": ".shared: {script: deploy.sh}\n",
  "templates/facts.yml": `spec:
  component: [name, sha, version, reference]
---
facts:
  image: registry.example.com/tools:$[[ component.version ]]
  script: echo $[[ component.name ]] $[[ component.sha ]] $[[ component.reference ]] "$[[ component.version ]]"
`,
  "templates/no-facts.yml": "spec:\n  inputs: {}\n---\nj: {script: 'echo $[[ component.name ]]'}\n",
  "templates/bad-facts.yml": "spec:\n  component: [name, colour]\n---\nj: {script: x}\n",
});
const own = gitRepo({});
afterAll(() => {
  components.dispose();
  own.dispose();
});

const opened: string[] = [];
/** The pipeline's repository: it can open `my-org/security/components` at `1.0`, `main` and a sha. */
const repo: RepositoryFiles = {
  read: own.read,
  list: own.list,
  openProject(project, ref) {
    opened.push(`${project}@${ref}`);
    if (project === "my-org/private/components") return "not_found";
    if (project === "my-org/untagged/components") return ref === "main" ? components : "no_ref";
    if (project !== "my-org/security/components") return "not_found";
    if (ref === "1.0") return { ...components, sha: "0123abc0", release: "1.0.4" };
    return ["main", "~latest", "0123abc"].includes(ref) ? components : "no_ref";
  },
};
const ctx = pushContext({ variables: { CI_SERVER_FQDN: "ci.example.com:8443", CI_SERVER_HOST: "ci.example.com" } });

describe("include:component", () => {
  test("$CI_SERVER_FQDN/<project>/<name>@<version> reads templates/<name>.yml with its inputs", () => {
    const yaml = `include:
  - component: $CI_SERVER_FQDN/my-org/security/components/secret-detection@1.0
    inputs: {job-prefix: sd, stage: build}
stages: [build]
`;
    const plan = planOf(yaml, ctx, repo);
    expect(jobNames(plan)).toEqual(["sd-scan"]);
    expect(plan.jobs[0]!.stage).toBe("build");
    expect(plan.jobs[0]!.script).toEqual(["echo scanning in build"]);
    expect(opened).toContain("my-org/security/components@1.0");
  });

  test("templates/<name>/template.yml, the server's host name, ~latest and a sha; nested local files are the component project's", () => {
    for (const address of [
      "ci.example.com/my-org/security/components/deploy@~latest",
      "ci.example.com:8443/my-org/security/components/deploy@0123abc",
    ]) {
      const plan = planOf(`include: [{component: "${address}"}]\nstages: [deploy]\n`, ctx, repo);
      expect(plan.jobs.map((j) => [j.name, j.script])).toEqual([["deploy", ["deploy.sh"]]]);
    }
  });

  test("GitLab's messages, at the include entry", () => {
    const cases: [string, string][] = [
      [
        "other.host/my-org/security/components/deploy@1.0",
        "Component 'other.host/my-org/security/components/deploy@1.0' - the component path is not supported",
      ],
      [
        "$CI_SERVER_FQDN/my-org/security/components/deploy",
        "Component 'ci.example.com:8443/my-org/security/components/deploy' - the component path is not supported",
      ],
      [
        "$CI_SERVER_FQDN/my-org/private/components/deploy@1.0",
        "Component 'ci.example.com:8443/my-org/private/components/deploy@1.0' - project does not exist or you don't have sufficient permissions",
      ],
      [
        "$CI_SERVER_FQDN/my-org/security/components/deploy@9.9",
        "Component 'ci.example.com:8443/my-org/security/components/deploy@9.9' - content not found",
      ],
      [
        "$CI_SERVER_FQDN/my-org/untagged/components/deploy@~latest",
        "Component 'ci.example.com:8443/my-org/untagged/components/deploy@~latest' - The ~latest version reference is not supported for non-catalog resources. Use a tag, branch, or commit SHA instead.",
      ],
      [
        "$CI_SERVER_FQDN/my-org/security/components/nope@1.0",
        "Component 'ci.example.com:8443/my-org/security/components/nope@1.0' - content not found",
      ],
    ];
    for (const [address, message] of cases)
      expect(errorsOf(`include:\n  - component: ${address}\nx: {script: x}\n`, ctx, repo)).toEqual([
        `${message} (line 2, column 5)`,
      ]);
  });

  test("without a project that can open others, GitLab's message", () => {
    const result = compilePipeline(
      "include:\n  - component: ci.example.com/my-org/security/components/deploy@1.0\nx: {script: x}\n",
      ctx,
      null,
    );
    expect(!result.ok && result.errors).toEqual([
      expect.objectContaining({ message: "Unable to use components outside of a project context" }),
    ]);
  });

  test("a component's missing required input names the component", () => {
    const address = "ci.example.com/my-org/security/components/secret-detection@main";
    expect(errorsOf(`include:\n  - component: ${address}\nx: {script: x}\n`, ctx, repo)).toEqual([
      `\`${address}\`: \`job-prefix\` input: required value has not been provided (line 2, column 5)`,
    ]);
  });

  test("lint expands components and their inputs into merged_yaml", () => {
    const yaml = `include:
  - component: ci.example.com/my-org/security/components/secret-detection@1.0
    inputs: {job-prefix: sd}
`;
    const result = lintPipeline(yaml, repo, Infinity, ctx.variables);
    expect(result.errors).toEqual([]);
    expect(result.merged_yaml).toBe("sd-scan:\n  stage: test\n  script: echo scanning in test\n");
  });
});

describe("$[[ component.x ]]: the facts the header lists", () => {
  const of = (name: string, version: string) =>
    `include:\n  - component: ci.example.com/my-org/security/components/${name}@${version}\n`;

  test("name, sha, version (the release the version resolved to) and reference (as written)", () => {
    const [job] = planOf(of("facts", "1.0"), ctx, repo).jobs;
    expect(job!.image).toEqual({ name: "registry.example.com/tools:1.0.4" });
    expect(job!.script).toEqual(['echo facts 0123abc0 1.0 "1.0.4"']);
    // A branch is no release: the version is empty, as GitLab's nil.
    expect(planOf(of("facts", "main"), ctx, repo).jobs[0]!.script).toEqual(['echo facts  main ""']);
  });

  test("a fact the header does not list is unknown; the list takes GitLab's values only", () => {
    expect(errorsOf(`${of("no-facts", "1.0")}x: {script: x}\n`, ctx, repo)).toEqual([
      "`ci.example.com/my-org/security/components/no-facts@1.0`: unknown interpolation key: `name` (line 2, column 5)",
    ]);
    expect(errorsOf(`${of("bad-facts", "1.0")}x: {script: x}\n`, ctx, repo)).toEqual([
      "`ci.example.com/my-org/security/components/bad-facts@1.0`: header:spec:component config contains unknown values: colour (line 2, column 5)",
    ]);
  });
});

describe("parseComponentAddress", () => {
  test("the last slash separates the project from the component; the host must come first", () => {
    expect(parseComponentAddress("h/a/b/c/name@v1@x", ["h"])).toEqual({
      project: "a/b/c",
      name: "name",
      version: "v1@x",
    });
    expect(parseComponentAddress("h/name@v1", ["h"])).toBeNull();
    expect(parseComponentAddress("h//a/name@v1", ["h"])).toBeNull();
    expect(parseComponentAddress("hx/a/name@v1", ["h"])).toBeNull();
    expect(parseComponentAddress("h/a/name@", ["h"])).toBeNull();
  });
});
