// python-gitlab (Debian's python3-gitlab) reads environments and deployments and stops an environment (its on_stop job runs).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { pythonGitlabAvailable, runPython } from "../support/python-gitlab.ts";

const available = pythonGitlabAvailable();

let t: TestPorthole;
beforeAll(async () => {
  if (available) t = await startTestPorthole({});
});
afterAll(() => t?.stop());

test.skipIf(!available)(
  "python-gitlab: environments, deployments, stop",
  async () => {
    const { stdout, stderr, code } = await runPython([
      join(import.meta.dir, "python/environments.py"),
      t.url,
      t.rootToken,
    ]);
    if (code !== 0) throw new Error(`environments.py exited ${code}:\n${stderr}\n${stdout}`);
    expect(JSON.parse(stdout)).toEqual({
      environments: [["production", "https://shop.example.com"]],
      deployment: [1, "production", "deploy"],
      one: true,
      last_deployment: "success",
      teardown: "success",
      states: ["stopped"],
    });
  },
  60_000,
);
