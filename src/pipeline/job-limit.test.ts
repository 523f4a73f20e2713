// countPlainJobs: the job count read from a CI file's text, or null wherever only a full parse can tell.
import { describe, expect, test } from "bun:test";
import { countPlainJobs } from "./job-limit.ts";

describe("countPlainJobs", () => {
  test("counts top-level jobs, not keywords, hidden keys or nested keys", () => {
    const text = [
      "# a comment",
      "stages: [build, test]",
      "variables:",
      "  A: b",
      "default:",
      "  image: alpine",
      ".template: &t",
      "  script: [echo]",
      "build:",
      "  stage: build",
      "  script: [make]",
      '"quoted job":',
      "  script: [echo]",
      "'single: quoted':",
      "  script: [echo]",
      "deploy/prod:",
      "  script: |",
      "    deploy: now",
      "",
    ].join("\n");
    expect(countPlainJobs(text)).toBe(4);
  });

  test("is null where the text alone could miscount", () => {
    for (const text of [
      "a:\n  parallel: 3\n  script: [echo]\n",
      "include: other.yml\na:\n  script: [echo]\n",
      ".t: &t\n  script: [echo]\n<<: *t\n",
      "a:\n  script: [x]\na:\n  script: [y]\n",
      "{a: {script: [x]}}\n",
      "---\na:\n  script: [x]\n",
      "? a\n: {script: [x]}\n",
    ])
      expect(countPlainJobs(text)).toBeNull();
  });
});
