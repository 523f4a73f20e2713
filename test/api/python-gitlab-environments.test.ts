// python-gitlab (Debian's python3-gitlab) reads environments and deployments and stops an environment (its on_stop job runs).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

const PYTHON = "/usr/bin/python3";
const available = Bun.spawnSync([PYTHON, "-c", "import gitlab"]).exitCode === 0;
if (!available && process.env.CI) throw new Error("python3-gitlab is required when CI is set");

let t: TestPorthole;
beforeAll(async () => {
  if (available) t = await startTestPorthole({});
});
afterAll(() => t?.stop());

test.skipIf(!available)(
  "python-gitlab: environments, deployments, stop",
  async () => {
    const proc = Bun.spawn([PYTHON, join(import.meta.dir, "python/environments.py"), t.url, t.rootToken], {
      stdout: "pipe",
      stderr: "pipe",
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_PROXY: "*", no_proxy: "*" },
    });
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
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
