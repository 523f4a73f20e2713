import { describe, expect, test } from "bun:test";
import { errorsOf, planOf } from "../pipeline.testing.ts";

const bridge = (yaml: string) => planOf(`build: {script: x}\n${yaml}`).jobs.find((j) => j.trigger)!;

describe("trigger: bridges to child and multi-project pipelines (GitLab's Entry::Bridge and Entry::Trigger)", () => {
  test("a project path is a multi-project trigger with GitLab's defaults", () => {
    const job = bridge("deploy:\n  stage: deploy\n  trigger: group/other\n");
    expect(job.trigger).toEqual({ project: "group/other", forward: { yamlVariables: true, pipelineVariables: false } });
    expect(job.script).toEqual([]);
    expect(job.stage).toBe("deploy");
  });

  test("the hash form with branch, strategy and forward", () => {
    const job = bridge(
      "deploy:\n  trigger:\n    project: group/other\n    branch: stable\n    strategy: depend\n    forward: {pipeline_variables: true, yaml_variables: false}\n",
    );
    expect(job.trigger).toEqual({
      project: "group/other",
      branch: "stable",
      strategy: "depend",
      forward: { yamlVariables: false, pipelineVariables: true },
    });
  });

  test("trigger:include takes a path, or a list of local, artifact and project entries", () => {
    expect(bridge("child:\n  trigger:\n    include: ci/child.yml\n").trigger?.include).toEqual(["ci/child.yml"]);
    const job = bridge(
      "child:\n  trigger:\n    include:\n      - local: ci/a.yml\n      - artifact: gen.yml\n        job: build\n      - project: g/p\n        file: t.yml\n        ref: v1\n    strategy: depend\n",
    );
    expect(job.trigger?.include).toEqual([
      { local: "ci/a.yml" },
      { artifact: "gen.yml", job: "build" },
      { project: "g/p", file: "t.yml", ref: "v1" },
    ]);
    expect(job.trigger?.strategy).toBe("depend");
  });

  test("a bridge takes nothing from default: and keeps its own variables, rules and needs", () => {
    const plan = planOf(
      "default:\n  image: ruby\n  before_script: [echo hi]\n  tags: [docker]\nbuild: {script: x}\nchild:\n  needs: [build]\n  variables: {A: b}\n  rules: [{when: manual}]\n  trigger: {include: c.yml}\n",
    );
    const job = plan.jobs.find((j) => j.name === "child")!;
    expect(job.image).toBeUndefined();
    expect(job.beforeScript).toEqual([]);
    expect(job.tags).toEqual([]);
    expect(job.variables).toEqual([{ key: "A", value: "b", raw: false }]);
    expect(job.when).toBe("manual");
    expect(job.needs).toEqual([{ job: "build", optional: false }]);
  });

  test("parallel:matrix makes one bridge per combination, each with its variables (GitLab's bridge_spec)", () => {
    const plan = planOf(
      "deploy:\n  trigger: {project: ops/deploy}\n  parallel:\n    matrix:\n      - PROVIDER: [aws, gcp]\n",
    );
    expect(plan.jobs.map((j) => [j.name, j.variables, j.trigger?.project])).toEqual([
      ["deploy: [aws]", [{ key: "PROVIDER", value: "aws", raw: false }], "ops/deploy"],
      ["deploy: [gcp]", [{ key: "PROVIDER", value: "gcp", raw: false }], "ops/deploy"],
    ]);
  });

  test.each([
    [
      "script and trigger make a job with an unknown key",
      "j:\n  script: x\n  trigger: a/b\n",
      "jobs:j config contains unknown keys: trigger (line 3, column 3)",
    ],
    [
      "job keywords on a bridge",
      "j:\n  trigger: a/b\n  image: ruby\n",
      "jobs:j config contains unknown keys: image (line 3, column 3)",
    ],
    ["a blank project", "j:\n  trigger: ''\n", "jobs:j:trigger config can't be blank (line 2, column 12)"],
    ["a list", "j:\n  trigger: [a]\n", "jobs:j:trigger has to be either a string or a hash (line 2, column 12)"],
    ["null", "j:\n  trigger:\n", "jobs:j:trigger has to be either a string or a hash (line 2, column 11)"],
    [
      "parallel: <number>",
      "j:\n  trigger: a/b\n  parallel: 2\n",
      'jobs:j:parallel config cannot use "parallel: <number>". (line 3, column 13)',
    ],
    // GitLab's trigger_spec.rb cases.
    ["a number", "j:\n  trigger: 123\n", "jobs:j:trigger has to be either a string or a hash (line 2, column 12)"],
    [
      "a project list",
      "j:\n  trigger: {project: [a/b]}\n",
      "jobs:j:trigger project should be a string (line 2, column 22)",
    ],
    [
      "a boolean project",
      "j:\n  trigger: {project: true}\n",
      "jobs:j:trigger project should be a string (line 2, column 22)",
    ],
    [
      "a blank hash project",
      "j:\n  trigger: {project: ''}\n",
      "jobs:j:trigger project can't be blank (line 2, column 22)",
    ],
    [
      "project with include",
      "j:\n  trigger: {project: a/b, include: c.yml}\n",
      "jobs:j:trigger config contains unknown keys: project (line 2, column 13)",
    ],
    [
      "unknown trigger keys",
      "j:\n  trigger: {project: a/b, foo: 1}\n",
      "jobs:j:trigger config contains unknown keys: foo (line 2, column 27)",
    ],
    [
      "a project that is not a string",
      "j:\n  trigger: {project: 1}\n",
      "jobs:j:trigger project should be a string (line 2, column 22)",
    ],
    ["no project", "j:\n  trigger: {branch: main}\n", "jobs:j:trigger project can't be blank (line 2, column 12)"],
    [
      "another strategy",
      "j:\n  trigger: {project: a/b, strategy: mirror2}\n",
      "jobs:j:trigger strategy should be depend (line 2, column 37)",
    ],
    [
      "branch with include",
      "j:\n  trigger: {include: a.yml, branch: x}\n",
      "jobs:j:trigger config contains unknown keys: branch (line 2, column 29)",
    ],
    [
      "too many includes",
      "j:\n  trigger:\n    include: [a.yml, b.yml, c.yml, d.yml]\n",
      "jobs:j:trigger:include config is too long (maximum is 3) (line 3, column 14)",
    ],
    [
      "an artifact without its job",
      "j:\n  trigger:\n    include: [{artifact: a.yml}]\n",
      "jobs:j:trigger:include config must specify the job where to fetch the artifact from (line 3, column 15)",
    ],
    [
      "forward of a non-boolean",
      "j:\n  trigger: {project: a/b, forward: {yaml_variables: 1}}\n",
      "jobs:j:trigger:forward yaml variables should be a boolean value (line 2, column 53)",
    ],
    [
      "forward of unknown keys",
      "j:\n  trigger: {project: a/b, forward: {x: true}}\n",
      "jobs:j:trigger:forward config contains unknown keys: x (line 2, column 37)",
    ],
    [
      "delayed bridges",
      "j:\n  trigger: a/b\n  when: delayed\n",
      "jobs:j when should be one of: on_success, on_failure, always, manual (line 3, column 9)",
    ],
    [
      "allow_failure exit codes",
      "j:\n  trigger: a/b\n  allow_failure: {exit_codes: 1}\n",
      "jobs:j allow failure should be a boolean value (line 3, column 18)",
    ],
    [
      "needs only",
      "j:\n  needs: []\n",
      "jobs:j config should contain either a trigger or a needs:pipeline (line 1, column 1)",
    ],
  ])("%s: %s", (_, yaml, message) => {
    expect(errorsOf(yaml)).toContain(message);
  });
});

describe("needs:pipeline:job — a child job's artifacts from its parent (GitLab's CrossPipelineDependency)", () => {
  test("they bring artifacts only: the job does not wait for them, and other needs still schedule it", () => {
    const plan = planOf(
      "a: {script: x}\nb:\n  stage: deploy\n  needs:\n    - {pipeline: $PARENT_PIPELINE_ID, job: generate}\n    - a\nc:\n  stage: deploy\n  needs: [{pipeline: '12', job: gen, artifacts: false}]\n  script: y\n".replace(
        "    - a\n",
        "    - a\n  script: z\n",
      ),
    );
    const b = plan.jobs.find((j) => j.name === "b")!;
    expect(b.needs).toEqual([{ job: "a", optional: false }]);
    expect(b.crossPipelineNeeds).toEqual([{ pipeline: "$PARENT_PIPELINE_ID", job: "generate", artifacts: true }]);
    const c = plan.jobs.find((j) => j.name === "c")!;
    expect(c.needs).toEqual([]);
    expect(c.crossPipelineNeeds).toEqual([{ pipeline: "12", job: "gen", artifacts: false }]);
  });

  test.each([
    [
      "unknown keys",
      "j:\n  script: x\n  needs: [{pipeline: '1', job: a, optional: true}]\n",
      "jobs:j:needs:need config contains unknown keys: optional",
    ],
    ["no job", "j:\n  script: x\n  needs: [{pipeline: '1'}]\n", "jobs:j:needs:need has an unsupported type"],
    [
      "a blank pipeline",
      "j:\n  script: x\n  needs: [{pipeline: '', job: a}]\n",
      "jobs:j:needs:need pipeline can't be blank",
    ],
    [
      "in rules:needs",
      "j:\n  script: x\n  rules: [{needs: [{pipeline: '1', job: a}]}]\n",
      "uses unsupported keyword: pipeline",
    ],
  ])("%s", (_, yaml, message) => {
    expect(errorsOf(yaml).join("\n")).toContain(message);
  });
});
