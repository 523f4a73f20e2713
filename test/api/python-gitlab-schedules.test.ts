// python-gitlab (Debian's python3-gitlab) drives pipeline schedules: create, variables, edit, play, take_ownership.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { pythonGitlabAvailable, runPython } from "../support/python-gitlab.ts";

const available = pythonGitlabAvailable();

let t: TestPorthole;
beforeAll(async () => {
  if (available) t = await startTestPorthole({ runner: { enabled: false } });
});
afterAll(() => t?.stop());

test.skipIf(!available)(
  "python-gitlab: schedules with variables, edit, play, take_ownership",
  async () => {
    const { stdout, stderr, code } = await runPython([
      join(import.meta.dir, "python/schedules.py"),
      t.url,
      t.rootToken,
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
