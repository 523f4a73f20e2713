import { describe, expect, test } from "bun:test";
import { lintPipeline } from "../lint.ts";
import { planOf } from "../pipeline.testing.ts";

const only = (yaml: string) => planOf(yaml).jobs[0]!;

describe("extends", () => {
  test("hashes merge deeply, lists are replaced, the job wins, null deletes", () => {
    const job = only(`
.base:
  image: ruby:3
  variables: {A: base, B: base}
  script: [base]
  tags: [a, b]
  cache: {key: k, paths: [x]}
  retry: 2
job:
  extends: .base
  variables: {B: job}
  tags: [c]
  cache: {paths: [y]}
  retry: null
`);
    expect(job.image).toEqual({ name: "ruby:3" });
    expect(job.variables).toEqual([
      { key: "A", value: "base", raw: false },
      { key: "B", value: "job", raw: false },
    ]);
    expect(job.script).toEqual(["base"]);
    expect(job.tags).toEqual(["c"]);
    expect(job.cache).toEqual([
      {
        key: "k",
        paths: ["y"],
        policy: "pull-push",
        untracked: false,
        when: "on_success",
        fallbackKeys: [],
        unprotect: false,
      },
    ]);
    expect(job.retry.max).toBe(0);
  });

  test("a list of bases: later bases win; chains resolve recursively", () => {
    const job = only(`
.a: {stage: build, variables: {X: a, Y: a}}
.b: {extends: .a, variables: {Y: b}, script: b}
.c: {stage: deploy, variables: {Z: c}}
job: {extends: [.b, .c]}
`);
    expect(job.stage).toBe("deploy");
    expect(job.script).toEqual(["b"]);
    expect(job.variables.map((v) => `${v.key}=${v.value}`)).toEqual(["X=a", "Y=b", "Z=c"]);
  });

  test("a visible job can be a base", () => {
    const plan = planOf("build: {stage: build, script: make}\nbuild-debug: {extends: build, variables: {DEBUG: 1}}\n");
    expect(plan.jobs.map((j) => [j.name, j.stage, j.script])).toEqual([
      ["build", "build", ["make"]],
      ["build-debug", "build", ["make"]],
    ]);
  });

  test("GitLab's errors: unknown base, non-hash base, cycle, more than 10 levels", () => {
    expect(lintPipeline("job: {script: x, extends: [.a, .b]}\n", null).errors).toEqual([
      "job: unknown keys in `extends` (.a, .b) (line 1, column 27)",
    ]);
    expect(lintPipeline(".a: [1]\njob: {script: x, extends: .a}\n", null).errors).toEqual([
      "job: invalid base hashes in `extends` (.a) (line 2, column 27)",
    ]);
    expect(lintPipeline(".a: {extends: job}\njob: {script: x, extends: .a}\n", null).errors).toEqual([
      ".a: circular dependency detected in `extends` (line 1, column 15)",
      "job: circular dependency detected in `extends` (line 2, column 27)",
    ]);
    const chain = Array.from({ length: 12 }, (_, i) => `.t${i}: {extends: .t${i + 1}}`).join("\n");
    const errors = lintPipeline(`${chain}\n.t12: {script: x}\njob: {extends: .t0}\n`, null).errors;
    expect(errors[0]).toMatch(/^\.t\d+: nesting too deep in `extends` \(line \d+, column \d+\)$/);
    expect(lintPipeline(".a: {script: x}\njob: {extends: 5}\n", null).errors).toEqual([
      "job: unknown keys in `extends` (5) (line 2, column 16)",
    ]);
    expect(lintPipeline(".a: {script: x}\njob: {extends: [.a, [x]]}\n", null).errors).toEqual([
      "jobs job config should implement the script:, run:, or trigger: keyword (line 2, column 1)",
    ]);
  });
});

describe("!reference", () => {
  test("pulls values from other entries, nested in scripts, flattened; works with extends and anchors", () => {
    const plan = planOf(`
.setup:
  script: [echo setup, echo more]
.vars:
  variables: {A: 1}
.tests:
  script:
    - !reference [.setup, script]
    - echo test
.child:
  extends: .vars
  after_script: [echo child]
job:
  variables: !reference [.child, variables]
  script:
    - !reference [.tests, script]
    - echo job
  after_script: !reference [.child, after_script]
`);
    const job = plan.jobs[0]!;
    expect(job.script).toEqual(["echo setup", "echo more", "echo test", "echo job"]);
    expect(job.variables).toEqual([{ key: "A", value: "1", raw: false }]);
    expect(job.afterScript).toEqual(["echo child"]);
  });

  test("rules from a template", () => {
    const plan = planOf(`
.rules: {rules: [{if: $NEVER, when: never}, {when: always}]}
job:
  script: x
  rules:
    - !reference [.rules, rules]
`);
    expect(plan.jobs[0]!.when).toBe("always");
  });

  test("GitLab's errors: not found, not valid, circular chain", () => {
    expect(lintPipeline("job: {script: !reference [.x, script]}\n", null).errors).toEqual([
      '!reference [".x", "script"] could not be found (line 1, column 26)',
    ]);
    expect(lintPipeline("job: {script: !reference [.x, 1]}\n", null).errors).toEqual([
      '!reference [".x", nil] is not valid (line 1, column 26)',
    ]);
    expect(
      lintPipeline(
        ".a: {script: !reference [.b, script]}\n.b: {script: !reference [.a, script]}\njob: {script: !reference [.a, script]}\n",
        null,
      ).errors[0],
    ).toMatch(/^!reference \["\.[ab]", "script"\] is part of a circular chain \(line \d, column \d+\)$/);
  });
});

describe("expansion limits", () => {
  test("!reference resolves through at most 10 other references at once (a long chain cannot exhaust the stack)", () => {
    // Written from the end of the chain, so that every reference is resolved inside the one before it.
    const chain = (n: number) =>
      [
        `job: {script: !reference [.t${n}, script]}`,
        ...Array.from({ length: n }, (_, i) => `.t${n - i}: {script: !reference [.t${n - i - 1}, script]}`),
        ".t0: {script: [x]}",
      ].join("\n");
    expect(lintPipeline(chain(9), null).errors).toEqual([]);
    expect(lintPipeline(chain(10), null).errors).toEqual([
      '!reference [".t0", "script"] is nested more than 10 levels deep (line 11, column 26)',
    ]);
    expect(lintPipeline(chain(20_000), null).valid).toBe(false);
  });

  test("!reference chains that multiply a list are refused before they exhaust memory", () => {
    const names = "abcdefgh";
    const lines = [`.a:\n  script: [${Array(100).fill("x").join(", ")}]`];
    for (let i = 1; i < names.length; i++) {
      lines.push(
        `.${names[i]}:\n  script:\n${Array(100)
          .fill(`    - !reference [.${names[i - 1]}, script]`)
          .join("\n")}`,
      );
    }
    lines.push("job:\n  script: !reference [.h, script]\n");
    expect(lintPipeline(lines.join("\n"), null).errors).toEqual(["The parsed YAML is too big (line 1, column 1)"]);
  });
});
