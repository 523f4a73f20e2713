// spec:inputs headers, include:inputs and $[[ ]] interpolation: GitLab's spec cases and messages
// (its interpolation/inputs_spec, header/spec_spec, interpolator_spec and functions specs).
import { afterAll, describe, expect, test } from "bun:test";
import { lintPipeline } from "../lint.ts";
import { errorsOf, gitRepo, planOf, pushContext } from "../pipeline.testing.ts";

const deploy = `spec:
  inputs:
    website:
    stage:
      default: test
    replicas:
      type: number
      default: 1
    dry:
      type: boolean
      default: false
    tags:
      type: array
      default: [small]
    env:
      options: [staging, production]
      default: staging
    version:
      regex: ^v\\d+\\.\\d+$
      default: v1.0
---
"deploy-$[[ inputs.env ]]":
  stage: $[[ inputs.stage ]]
  tags: $[[ inputs.tags ]]
  parallel: $[[ inputs.replicas ]]
  variables:
    DRY: $[[ inputs.dry ]]
  script:
    - echo deploying $[[ inputs.website ]] $[[ inputs.version ]] to $[[ inputs.env ]]
`;

const repo = gitRepo({
  "ci/deploy.yml": deploy,
  "ci/plain.yml": "plain: {script: x}\n",
  "ci/fns.yml": `spec:
  inputs:
    name:
---
fns:
  script:
    - echo $[[ inputs.name | truncate(0,5) ]]
    - echo $[[ inputs.name | posix_escape ]]
    - echo $[[ inputs.name | expand_vars | truncate(1,20) ]]
`,
  "ci/bad-header.yml": "spec:\n  arguments:\n    website:\n---\njob: {script: x}\n",
  "ci/unknown-key.yml": "spec:\n  inputs:\n    a:\n---\njob: {script: 'echo $[[ inputs.b ]]'}\n",
});
afterAll(() => repo.dispose());

const include = (inputs: string, file = "ci/deploy.yml") => `include:\n  - local: ${file}\n    inputs: ${inputs}\n`;

describe("include:inputs with a spec:inputs header", () => {
  test("values and defaults are interpolated, keeping the types of whole-string blocks", () => {
    const plan = planOf(
      `${include("{website: example.com, env: production, replicas: 2, tags: [big, fast]}")}stages: [test]\n`,
      pushContext(),
      repo,
    );
    expect(plan.jobs.map((j) => j.name)).toEqual(["deploy-production 1/2", "deploy-production 2/2"]);
    const job = plan.jobs[0]!;
    expect(job.stage).toBe("test");
    expect(job.tags).toEqual(["big", "fast"]);
    expect(job.script).toEqual(["echo deploying example.com v1.0 to production"]);
    expect(job.variables).toContainEqual(expect.objectContaining({ key: "DRY", value: "false" }));
  });

  test("the same file included twice with other inputs gives both configurations", () => {
    const yaml = `include:
  - {local: ci/deploy.yml, inputs: {website: a, env: staging}}
  - {local: ci/deploy.yml, inputs: {website: b, env: production}}
stages: [test]
`;
    expect(planOf(yaml, pushContext(), repo).jobs.map((j) => j.name)).toEqual([
      "deploy-staging 1/1",
      "deploy-production 1/1",
    ]);
  });

  test("GitLab's errors name the file and the input, at the include entry", () => {
    const cases: [string, string][] = [
      ["{}", "`ci/deploy.yml`: `website` input: required value has not been provided"],
      ["{website: a, nope: 1, other: 2}", "`ci/deploy.yml`: unknown input arguments: nope, other"],
      ["{website: 1}", "`ci/deploy.yml`: `website` input: provided value is not a string"],
      ["{website: a, replicas: two}", "`ci/deploy.yml`: `replicas` input: provided value is not a number"],
      ["{website: a, dry: maybe}", "`ci/deploy.yml`: `dry` input: provided value is not a boolean"],
      ["{website: a, tags: one}", "`ci/deploy.yml`: `tags` input: provided value is not an array"],
      [
        "{website: a, env: qa}",
        "`ci/deploy.yml`: `env` input: `qa` cannot be used because it is not in the list of allowed options",
      ],
      [
        "{website: a, version: '1.0'}",
        "`ci/deploy.yml`: `version` input: provided value does not match required RegEx pattern",
      ],
      [
        "{website: 1, replicas: x, dry: y, tags: z}",
        "`ci/deploy.yml`: `website` input: provided value is not a string, `replicas` input: provided value is not a number, `dry` input: provided value is not a boolean",
      ],
    ];
    for (const [inputs, message] of cases)
      expect(errorsOf(`${include(inputs)}x: {script: x}\n`, pushContext(), repo)).toEqual([
        `${message} (line 2, column 5)`,
      ]);
  });

  test("inputs for a file without a header are refused", () => {
    expect(errorsOf(`${include("{a: 1}", "ci/plain.yml")}x: {script: x}\n`, pushContext(), repo)).toEqual([
      "`ci/plain.yml`: Given inputs not defined in the `spec` section of the included configuration file (line 2, column 5)",
    ]);
  });

  test("header and interpolation errors", () => {
    expect(errorsOf(`${include("{}", "ci/bad-header.yml")}x: {script: x}\n`, pushContext(), repo)).toEqual([
      "`ci/bad-header.yml`: header:spec config contains unknown keys: arguments (line 2, column 5)",
    ]);
    expect(errorsOf(`${include("{a: x}", "ci/unknown-key.yml")}x: {script: x}\n`, pushContext(), repo)).toEqual([
      "`ci/unknown-key.yml`: unknown interpolation key: `b` (line 2, column 5)",
    ]);
  });

  test("truncate, posix_escape and expand_vars, in order", () => {
    const plan = planOf(
      `${include("{name: '$GREETING world; rm -rf /'}", "ci/fns.yml")}`,
      pushContext({ variables: { GREETING: "hello" } }),
      repo,
    );
    expect(plan.jobs[0]!.script).toEqual([
      "echo $GREE",
      "echo \\$GREETING\\ world\\;\\ rm\\ -rf\\ /",
      "echo ello world; rm -rf /",
    ]);
  });

  test("expand_vars refuses a masked variable", () => {
    const result = lintPipeline(
      `${include("{name: '$TOKEN'}", "ci/fns.yml")}`,
      repo,
      Infinity,
      { TOKEN: "s3cr3t" },
      {
        masked: new Set(["TOKEN"]),
      },
    );
    expect(result.errors).toEqual([
      "`ci/fns.yml`: variable expansion error: masked variables cannot be expanded (line 2, column 5)",
    ]);
  });

  test("an unknown function and too many functions", () => {
    const file = (block: string) => `spec:\n  inputs:\n    a:\n      default: x\n---\njob: {script: "echo ${block}"}\n`;
    expect(errorsOf(file("$[[ inputs.a | upcase ]]"))).toEqual([
      "no function matching `upcase`: check that the function name, arguments, and types are correct (line 1, column 1)",
    ]);
    expect(errorsOf(file("$[[ inputs.a | posix_escape | posix_escape | posix_escape | posix_escape ]]"))).toEqual([
      "too many functions in interpolation block (line 1, column 1)",
    ]);
    expect(errorsOf(file("$[[ inputs ]]"))).toEqual(["invalid interpolation access pattern (line 1, column 1)"]);
  });

  test("the main file's own header takes its defaults; merged_yaml shows interpolated values", () => {
    const main = "spec:\n  inputs:\n    who:\n      default: porthole\n---\nhi: {script: 'echo $[[ inputs.who ]]'}\n";
    expect(planOf(main).jobs[0]!.script).toEqual(["echo porthole"]);
    expect(lintPipeline(main, null).merged_yaml).toBe("hi:\n  script: echo porthole\n");
  });

  test("$[[ matrix.X ]] is left as written, whole or inside a string", () => {
    const main = `spec:\n  inputs:\n    os:\n      default: linux\n---\nj:\n  script: ["$[[ matrix.OS ]]", "on $[[ inputs.os ]] $[[ matrix.OS ]]"]\n`;
    expect(planOf(main).jobs[0]!.script).toEqual(["$[[ matrix.OS ]]", "on linux $[[ matrix.OS ]]"]);
  });

  test("a default of the wrong type is reported as GitLab does", () => {
    expect(errorsOf("spec:\n  inputs:\n    n: {type: number, default: x}\n---\nj: {script: x}\n")).toEqual([
      "`n` input: default value is not a number (line 1, column 1)",
    ]);
  });
});
