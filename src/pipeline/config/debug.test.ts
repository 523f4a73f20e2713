// `debug:` (porthole's own keyword): read into the plan, warned about as GitLab-incompatible, wrong uses refused.
import { describe, expect, test } from "bun:test";
import { lintPipeline } from "../lint.ts";
import { errorsOf, planOf } from "../pipeline.testing.ts";

const jobWith = (debug: string) => `job:\n  script: x\n  debug: ${debug}\n`;

describe("debug", () => {
  test("on_failure is a duration in seconds on the planned job", () => {
    expect(planOf(jobWith("{on_failure: 10m}")).jobs[0]!.debug).toEqual({ onFailure: 600 });
    expect(planOf(jobWith("{on_failure: 90 seconds}")).jobs[0]!.debug).toEqual({ onFailure: 90 });
    expect(planOf("job: {script: x}\n").jobs[0]!.debug).toBeUndefined();
  });

  test("the lint result warns that the keyword is porthole's and GitLab refuses it", () => {
    const lint = lintPipeline(jobWith("{on_failure: 1h}"), null);
    expect(lint.valid).toBe(true);
    expect(lint.warnings).toEqual(["jobs:job:debug is porthole's own keyword (GitLab refuses a file that uses it)"]);
  });

  test("wrong uses name the key and what it should be", () => {
    expect(errorsOf(jobWith("10m")).join("\n")).toContain("jobs:job:debug config should be a hash");
    expect(errorsOf(jobWith("{on_failure: soon}")).join("\n")).toContain(
      "jobs:job:debug:on_failure config should be a duration",
    );
    expect(errorsOf(jobWith("{on_failure: 2 days}")).join("\n")).toContain("should not exceed the limit");
    expect(errorsOf(jobWith("{breakpoint: before_script}")).join("\n")).toContain("breakpoint");
  });
});
