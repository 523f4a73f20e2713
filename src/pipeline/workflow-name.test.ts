// `workflow:name`: the pipeline's name in the plan, variables expanded as GitLab names pipelines.
import { describe, expect, test } from "bun:test";
import { errorsOf, planOf, pushContext } from "./pipeline.testing.ts";

describe("workflow:name", () => {
  test("expands predefined, global and workflow-rule variables; unknown ones become blank; trimmed", () => {
    const plan = planOf(
      `variables: {KIND: nightly}
workflow:
  name: '$KIND build of $CI_COMMIT_REF_NAME for $DEPLOY_TARGET $UNKNOWN'
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
      variables: {DEPLOY_TARGET: production}
job: {script: x}
`,
      pushContext(),
    );
    expect(plan.name).toBe("nightly build of main for production");
  });

  test("no name, or one that expands to nothing, leaves the pipeline unnamed", () => {
    expect(planOf("job: {script: x}\n").name).toBeUndefined();
    expect(planOf("workflow: {name: $NOTHING}\njob: {script: x}\n").name).toBeUndefined();
  });

  test("a long expansion is cut to GitLab's 255 characters", () => {
    const ctx = pushContext({ variables: { LONG: "x".repeat(300) } });
    expect(planOf("workflow: {name: 'n $LONG'}\njob: {script: x}\n", ctx).name).toHaveLength(255);
  });

  test("GitLab's messages for a name that is not a string or too long", () => {
    expect(errorsOf("workflow: {name: {a: 1}}\njob: {script: x}\n")).toEqual([
      "workflow name should be a string (line 1, column 18)",
    ]);
    expect(errorsOf(`workflow: {name: ${"n".repeat(256)}}\njob: {script: x}\n`)).toEqual([
      "workflow name is too long (maximum is 255 characters) (line 1, column 18)",
    ]);
  });
});
