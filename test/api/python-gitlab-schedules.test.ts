// python-gitlab (Debian's python3-gitlab) drives pipeline schedules: create, variables, edit, play, take_ownership.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

const PYTHON = "/usr/bin/python3";
const available = Bun.spawnSync([PYTHON, "-c", "import gitlab"]).exitCode === 0;
if (!available && process.env.CI) throw new Error("python3-gitlab is required when CI is set");

let t: TestPorthole;
beforeAll(async () => {
  if (available) t = await startTestPorthole({ runner: { enabled: false } });
});
afterAll(() => t?.stop());

test.skipIf(!available)(
  "python-gitlab: schedules with variables, edit, play, take_ownership",
  async () => {
    const proc = Bun.spawn([PYTHON, join(import.meta.dir, "python/schedules.py"), t.url, t.rootToken], {
      stdout: "pipe",
      stderr: "pipe",
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_PROXY: "*", no_proxy: "*" },
    });
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    if (code !== 0) throw new Error(`schedules.py exited ${code}:\n${stderr}\n${stdout}`);
    const seen = JSON.parse(stdout);
    expect(seen).toMatchObject({
      listed: ["nightly build"],
      cron_timezone: "Europe/Berlin",
      variables: [["NIGHTLY", "yes"]],
      owner: "root",
      played: ["schedule"],
    });
    // 03:00 in Berlin is 01:00 or 02:00 UTC.
    expect(seen.next_run_at).toMatch(/T0[12]:00:00\.000Z$/);
  },
  60_000,
);
