import { describe, expect, test } from "bun:test";
import { lintPipeline } from "./lint.ts";

describe("lintPipeline", () => {
  test("a valid file: merged_yaml has anchors, merge keys, extends and !reference expanded", () => {
    const result = lintPipeline(
      `.base: &base
  image: ruby
.steps: {script: [one, two]}
build:
  <<: *base
  extends: .steps
  script: [!reference [.steps, script], three]
`,
      null,
    );
    expect(result).toEqual({
      valid: true,
      errors: [],
      warnings: [],
      merged_yaml: `.base:
  image: ruby
.steps:
  script:
    - one
    - two
build:
  script:
    - - one
      - two
    - three
  image: ruby
  extends: .steps
`,
    });
  });

  test("rules are checked but not evaluated: a workflow that filters every pipeline is still valid", () => {
    expect(lintPipeline("workflow: {rules: [{when: never}]}\njob: {script: x}\n", null).valid).toBe(true);
    expect(lintPipeline("job:\n  script: x\n  rules: [{if: '$A =='}]\n", null)).toMatchObject({
      valid: false,
      errors: ["jobs:job:rules:rule if invalid expression syntax (line 3, column 16)"],
    });
  });

  test("needs on jobs only some rules add are not errors in lint (they are when a pipeline is created)", () => {
    expect(
      lintPipeline("a: {stage: build, script: x, rules: [{when: never}]}\nb: {script: x, needs: [a]}\n", null).valid,
    ).toBe(true);
  });

  test("merged_yaml is kept for keyword errors, empty when the YAML cannot be read", () => {
    expect(lintPipeline("job: {script: x, when: later}\n", null).merged_yaml).toBe(
      "job:\n  script: x\n  when: later\n",
    );
    expect(lintPipeline("job: [\n", null).merged_yaml).toBe("");
  });

  test("strings YAML 1.1 would read otherwise stay quoted in merged_yaml", () => {
    expect(lintPipeline("job: {script: x, variables: {A: 'yes', B: '012'}}\n", null).merged_yaml).toBe(
      'job:\n  script: x\n  variables:\n    A: "yes"\n    B: "012"\n',
    );
  });
});
