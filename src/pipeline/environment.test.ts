// `environment`, `resource_group`, `rules:changes:compare_to` and `rules:exists:project` in the compiler, with
// GitLab's messages (its entry/environment_spec.rb, yaml_processor_spec.rb and rules clause specs).
import { describe, expect, test } from "bun:test";
import { environmentSlug, guessTier } from "../domain/environment-name.ts";
import { lintPipeline } from "./lint.ts";
import { errorsOf, gitRepo, planOf, pushContext } from "./pipeline.testing.ts";
import type { RepositoryFiles } from "./types.ts";

const deploy = (environment: string) => `deploy:\n  script: x\n  environment: ${environment}\n`;

describe("environment", () => {
  test("environment: a name or a hash, its name expanded with the job's variables when planned", () => {
    const plan = planOf(
      "variables: {APP: shop}\ndeploy:\n  script: x\n  variables: {TARGET: eu}\n  environment:\n" +
        "    name: review/$APP-$TARGET-${CI_COMMIT_REF_NAME}$UNKNOWN\n    url: https://$CI_ENVIRONMENT_SLUG.example.com/$CI_COMMIT_REF_NAME\n" +
        "    deployment_tier: staging\n    auto_stop_in: 1 day\n",
    );
    expect(plan.jobs[0]!.environment).toEqual({
      name: "review/shop-eu-main",
      url: `https://${environmentSlug("review/shop-eu-main")}.example.com/main`,
      action: "start",
      deploymentTier: "staging",
      autoStopIn: 86400,
    });
    expect(planOf(deploy("production")).jobs[0]!.environment).toEqual({ name: "production", action: "start" });
    expect(planOf(deploy("{name: x, auto_stop_in: never}")).jobs[0]!.environment?.autoStopIn).toBeNull();
  });

  test.each([
    ["1", "jobs:deploy:environment config should be a hash or a string (line 3, column 16)"],
    ["{url: x}", "jobs:deploy:environment name can't be blank (line 3, column 16)"],
    [
      "/prod/",
      "jobs:deploy:environment name can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', and spaces, but it cannot start or end with '/' (line 3, column 16)",
    ],
    [
      "{name: p, action: deploy}",
      "jobs:deploy:environment action should be start, stop, prepare, verify, or access (line 3, column 34)",
    ],
    [
      "{name: p, deployment_tier: prod}",
      "jobs:deploy:environment deployment tier must be one of production, staging, testing, development, other (line 3, column 43)",
    ],
    ["{name: p, auto_stop_in: soon}", "jobs:deploy:environment auto stop in should be a duration (line 3, column 40)"],
    ["{name: p, on_stop: [a]}", "jobs:deploy:environment on stop should be a string (line 3, column 35)"],
    ["{name: p, url: [a]}", "jobs:deploy:environment url should be a string (line 3, column 31)"],
    ["{name: p, color: red}", "jobs:deploy:environment config contains unknown keys: color (line 3, column 26)"],
  ])("environment: %s is refused with GitLab's message", (written, message) => {
    expect(errorsOf(deploy(written))).toEqual([message]);
  });

  test("on_stop must name a job of the same environment with action: stop (GitLab's yaml processor messages)", () => {
    const start = "deploy:\n  script: x\n  environment: {name: review, on_stop: stop}\n";
    expect(errorsOf(start)).toEqual(["deploy job: on_stop job stop is not defined (line 3, column 16)"]);
    expect(errorsOf(`${start}stop: {script: y}\n`)).toEqual([
      "deploy job: on_stop job stop does not have environment defined (line 3, column 16)",
    ]);
    expect(errorsOf(`${start}stop: {script: y, environment: other}\n`)).toEqual([
      "deploy job: on_stop job stop have different environment name (line 3, column 16)",
    ]);
    expect(errorsOf(`${start}stop: {script: y, environment: review}\n`)).toEqual([
      "deploy job: on_stop job stop needs to have action stop defined (line 3, column 16)",
    ]);
    const ok = planOf(`${start}stop: {script: y, when: manual, environment: {name: review, action: stop}}\n`);
    expect(ok.jobs.map((j) => j.environment)).toEqual([
      { name: "review", action: "start", onStop: "stop" },
      { name: "review", action: "stop" },
    ]);
  });

  test("kubernetes is accepted with a warning, never silently", () => {
    const lint = lintPipeline(deploy("{name: p, kubernetes: {namespace: x}}"), null);
    expect(lint.valid).toBe(true);
    expect(lint.warnings).toEqual([
      "jobs:deploy:environment:kubernetes is accepted but not acted on (porthole has no Kubernetes integration)",
    ]);
  });

  test("slugs and tiers follow GitLab's rules", () => {
    expect(environmentSlug("production")).toBe("production");
    expect(environmentSlug("review/fix-login")).toMatch(/^review-fix-login-[a-z0-9]{6}$/);
    expect(environmentSlug("review/fix-login")).toBe(environmentSlug("review/fix-login"));
    expect(environmentSlug("1st")).toMatch(/^env-1st-[a-z0-9]{6}$/);
    expect(environmentSlug("a-very-long-environment-name-indeed").length).toBeLessThanOrEqual(24);
    expect(["production", "prod", "live", "staging", "review/x", "qa", "sandbox"].map(guessTier)).toEqual([
      "production",
      "production",
      "production",
      "staging",
      "development",
      "testing",
      "other",
    ]);
  });
});

describe("resource_group", () => {
  test("resource_group is planned with its key expanded; a blank key means none", () => {
    const yaml = "deploy:\n  script: x\n  resource_group: production-$CI_COMMIT_REF_NAME\n";
    expect(planOf(yaml).jobs[0]!.resourceGroup).toBe("production-main");
    expect(planOf("deploy: {script: x, resource_group: $NOTHING}\n").jobs[0]!.resourceGroup).toBeUndefined();
    expect(errorsOf("deploy: {script: x, resource_group: [a]}\n")).toEqual([
      "jobs:deploy resource group should be a string (line 1, column 37)",
    ]);
  });
});

/** A repository whose commit is `files`, answering compare_to with `changed` for the refs it knows. */
function repoWith(files: Record<string, string>, changed: Record<string, string[]>): RepositoryFiles {
  const repo = gitRepo(files);
  return { ...repo, changedSince: (ref) => changed[ref] ?? null };
}

describe("rules:changes and rules:exists hashes", () => {
  const job = (clause: string) => `job: {script: x, rules: [{${clause}}]}\nother: {script: y}\n`;

  test("compare_to diffs against the ref, also for pipelines that are not pushes", () => {
    const repo = repoWith({ "a.txt": "" }, { main: ["docs/readme.md"], stable: ["src/app.ts"] });
    const names = (clause: string, source = "push") =>
      planOf(job(clause), pushContext({ source }), repo).jobs.map((j) => j.name);
    expect(names("changes: {paths: ['src/**'], compare_to: main}")).toEqual(["other"]);
    expect(names("changes: {paths: ['src/**'], compare_to: stable}")).toEqual(["job", "other"]);
    expect(names("changes: {paths: ['src/**'], compare_to: main}", "api")).toEqual(["other"]);
    // Without compare_to an API pipeline knows no changes: true, as GitLab.
    expect(names("changes: {paths: ['src/**']}", "api")).toEqual(["job", "other"]);
  });

  test("past GitLab's 50,000 path × glob comparisons a changes clause holds", () => {
    const many = Array.from({ length: 50_001 }, (_, i) => `docs/${i}.md`);
    const repo = repoWith({ "a.txt": "" }, { main: many });
    const plan = planOf(job("changes: {paths: ['src/**'], compare_to: main}"), pushContext(), repo);
    expect(plan.jobs.map((j) => j.name)).toEqual(["job", "other"]);
  });

  test("compare_to naming no ref fails the pipeline with GitLab's message", () => {
    const repo = repoWith({ "a.txt": "" }, {});
    expect(errorsOf(job("changes: {paths: [a], compare_to: nope}"), pushContext(), repo)).toEqual([
      "Failed to parse rule for job: rules:changes:compare_to is not a valid ref (line 1, column 1)",
    ]);
  });

  test.each([
    ["changes: {compare_to: main}", "jobs:job:rules:rule:changes config missing required keys: paths"],
    ["changes: {paths: [a], compare_to: [main]}", "jobs:job:rules:rule:changes compare to should be a string"],
    ["changes: {paths: [a], since: main}", "jobs:job:rules:rule:changes config contains unknown keys: since"],
    ["exists: {ref: main}", "jobs:job:rules:rule:exists config missing required keys: paths"],
    ["exists: {paths: [a], ref: main}", "jobs:job:rules:rule:exists config missing required keys: project"],
    ["exists: {paths: [a], project: [x]}", "jobs:job:rules:rule:exists project should be a string"],
  ])("%s is refused", (clause, message) => {
    expect(errorsOf(job(clause)).map((e) => e.replace(/ \(line.*$/, ""))).toEqual([message]);
  });

  test("exists with project looks in that project at ref; one it cannot open is an error", () => {
    const other = gitRepo({ Dockerfile: "" });
    const opened: [string, string][] = [];
    const repo: RepositoryFiles = {
      ...gitRepo({ "a.txt": "" }),
      openProject: (path, ref) => {
        opened.push([path, ref]);
        return path === "group/tools" ? (ref === "v1" || ref === "HEAD" ? other : "no_ref") : "not_found";
      },
    };
    const names = (clause: string) => planOf(job(clause), pushContext(), repo).jobs.map((j) => j.name);
    expect(names("exists: {paths: [Dockerfile], project: Group/Tools, ref: v1}")).toEqual(["job", "other"]);
    expect(names("exists: {paths: [Makefile], project: group/tools}")).toEqual(["other"]);
    expect(opened).toEqual([
      ["group/tools", "v1"],
      ["group/tools", "HEAD"],
    ]);
    expect(errorsOf(job("exists: {paths: [a], project: secret/x}"), pushContext(), repo)).toEqual([
      "Failed to parse rule for job: rules:exists:project `secret/x` access denied or not found (line 1, column 1)",
    ]);
    expect(errorsOf(job("exists: {paths: [a], project: group/tools, ref: v9}"), pushContext(), repo)).toEqual([
      "Failed to parse rule for job: rules:exists:ref `v9` is not a valid ref in project `group/tools` (line 1, column 1)",
    ]);
  });
});
