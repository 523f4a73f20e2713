// `artifacts:` as the compiler keeps it: reports, expose_as, access/public, untracked; lint warns of unrendered reports.
import { describe, expect, test } from "bun:test";
import { lintPipeline } from "../lint.ts";
import { errorsOf, planOf } from "../pipeline.testing.ts";

const artifactsOf = (yaml: string) => planOf(yaml).jobs[0]!.artifacts;

describe("artifacts", () => {
  test("reports (a string or a list; coverage_report's path), expose_as, access and untracked are kept", () => {
    expect(
      artifactsOf(`job:
  script: x
  artifacts:
    paths: [site/]
    untracked: true
    expose_as: Coverage site
    access: developer
    reports:
      junit: [a.xml, b.xml]
      dotenv: build.env
      coverage_report: {coverage_format: cobertura, path: coverage.xml}
`),
    ).toEqual({
      paths: ["site/"],
      exclude: [],
      when: "on_success",
      untracked: true,
      exposeAs: "Coverage site",
      access: "developer",
      reports: { junit: ["a.xml", "b.xml"], dotenv: ["build.env"], coverage_report: ["coverage.xml"] },
    });
    expect(artifactsOf("job:\n  script: x\n  artifacts: {paths: [a], public: false}\n")?.access).toBe("developer");
  });

  test("bad values name the key", () => {
    expect(errorsOf("job:\n  script: x\n  artifacts: {access: everyone}\n")).toEqual([
      "jobs:job:artifacts access should be one of: all, developer, none (line 3, column 23)",
    ]);
    expect(errorsOf("job:\n  script: x\n  artifacts: {public: true, access: all}\n")).toEqual([
      "jobs:job:artifacts config can't use both public and access (line 3, column 37)",
    ]);
    expect(errorsOf("job:\n  script: x\n  artifacts: {reports: {junit: {a: 1}}}\n")).toEqual([
      "jobs:job:artifacts:reports:junit should be an array of strings or a string (line 3, column 32)",
    ]);
  });

  test("lint warns that report types other than junit and dotenv are stored but not rendered", () => {
    const result = lintPipeline(
      "job:\n  script: x\n  artifacts:\n    reports: {junit: r.xml, codequality: cq.json, sast: s.json}\n",
      null,
    );
    expect(result.valid).toBe(true);
    expect(result.warnings).toEqual([
      "jobs:job:artifacts:reports:codequality is stored and downloadable, but porthole does not render it yet",
      "jobs:job:artifacts:reports:sast is stored and downloadable, but porthole does not render it yet",
    ]);
  });
});
