// Bad pipelines are refused with a message naming the job, key and line; nothing half-made is left; the server lives on.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

let t: TestPorthole;
beforeAll(async () => (t = await startTestPorthole({ runner: { enabled: false } })));
afterAll(() => t?.stop());

const cases: [string, string, RegExp][] = [
  ["a YAML syntax error", "build:\n  script: [echo\n  stage: test\n", /line \d+/],
  [
    "an unknown keyword",
    "build:\n  script: [echo hi]\n  scriptt: [oops]\n",
    /jobs:build config contains unknown keys: scriptt.*line 3/,
  ],
  [
    "an unsupported keyword",
    "build:\n  script: [echo hi]\n  release: {tag_name: v1}\n",
    /jobs:build config uses unsupported keyword: release.*line 3/,
  ],
  [
    "a stage that does not exist",
    "stages: [build]\ndeploy:\n  stage: prod\n  script: [echo]\n",
    /deploy job: chosen stage prod does not exist.*line 3/,
  ],
  ["an unknown need", "a:\n  script: [echo]\n  needs: [nope]\n", /a job.*nope.*line 3/],
  ["a cycle", "a:\n  script: [echo]\n  needs: [b]\nb:\n  script: [echo]\n  needs: [a]\n", /circular dependencies/],
];

for (const [what, yaml, message] of cases) {
  test(`${what} refuses the pipeline with a clear message and leaves nothing behind`, async () => {
    const created = await t.api("/projects", {
      method: "POST",
      json: { name: `p-${what.replace(/\W+/g, "-")}`, ci_config: yaml },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const res = await t.api(`/projects/${id}/pipeline`, { method: "POST", json: { ref: "main" } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: { base: string[] } };
    expect(body.message.base.join("\n")).toMatch(message);
    const pipelines = (await (await t.api(`/projects/${id}/pipelines`)).json()) as unknown[];
    expect(pipelines).toEqual([]);
    const lint = (await (
      await t.api(`/projects/${id}/ci/lint`, { method: "POST", json: { content: yaml } })
    ).json()) as { valid: boolean; errors: string[] };
    expect(lint.valid).toBe(false);
    expect(lint.errors.join("\n")).toMatch(message);
  });
}

test("the server still answers after all of that", async () => {
  const res = await t.api("/version");
  expect(res.status).toBe(200);
});
