// Real GitLab clients (python-gitlab and its `gitlab` CLI, Debian's python3-gitlab) drive porthole as a user would.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { processOutput } from "../../src/shared/process-output.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

const PYTHON = "/usr/bin/python3";
const available = Bun.spawnSync([PYTHON, "-c", "import gitlab"]).exitCode === 0;
if (!available) {
  if (process.env.CI) throw new Error("python3-gitlab is required when CI is set (apt-get install python3-gitlab)");
  console.log("SKIP python-gitlab tests: python3-gitlab is not installed");
}

let t: TestPorthole;

async function run(argv: string[]) {
  const proc = Bun.spawn(argv, {
    stdout: "pipe",
    stderr: "pipe",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_PROXY: "*", no_proxy: "*" },
  });
  const { stdout, stderr, code: exitCode } = await processOutput(proc);
  return { stdout, stderr, exitCode };
}
beforeAll(async () => {
  if (available) t = await startTestPorthole({ runner: { concurrent: 2 } });
});
afterAll(() => t?.stop());

test.skipIf(!available)(
  "python-gitlab: project, pipeline, jobs, trace, cancel, retry, play, trigger",
  async () => {
    const flow = await run([PYTHON, join(import.meta.dir, "python/ci_flow.py"), t.url, t.rootToken]);
    if (flow.exitCode !== 0) throw new Error(`ci_flow.py exited ${flow.exitCode}:\n${flow.stderr}\n${flow.stdout}`);
    const seen = JSON.parse(flow.stdout);
    expect(seen).toMatchObject({
      user: "root",
      path: "root/python",
      lint_valid: true,
      jobs: ["build", "deploy", "slow"],
      slow_after_cancel: "canceled",
      retried_is_new: true,
      deploy_before: "manual",
      triggered_source: "trigger",
      pipeline_count: 2,
      page_one: 2,
    });
    expect(seen.build_log).toContain("hello from build and extra!");
    expect(seen.deploy_log).toContain("deploying to prod");

    // The server runs in this process: the CLI must be awaited, never run with spawnSync.
    const cli = async (...args: string[]) => {
      const { stdout, exitCode, stderr } = await run([
        PYTHON,
        "-m",
        "gitlab",
        "--server-url",
        t.url,
        "--private-token",
        t.rootToken,
        ...args,
      ]);
      if (exitCode !== 0) throw new Error(`gitlab ${args.join(" ")}: ${stderr}`);
      return stdout;
    };
    const listed = JSON.parse(
      await cli("-o", "json", "project-pipeline", "list", "--project-id", String(seen.project_id)),
    );
    expect(listed).toHaveLength(2);
    expect(
      await cli("project-job", "trace", "--project-id", String(seen.project_id), "--id", String(seen.build_id)),
    ).toContain("hello from build");
  },
  60_000,
);

test.skipIf(!available)(
  "python-gitlab: job.artifacts(), job.artifact(path), project.artifacts.download/raw by ref, delete_artifacts",
  async () => {
    const flow = await run([PYTHON, join(import.meta.dir, "python/artifacts_flow.py"), t.url, t.rootToken]);
    if (flow.exitCode !== 0)
      throw new Error(`artifacts_flow.py exited ${flow.exitCode}:\n${flow.stderr}\n${flow.stdout}`);
    expect(JSON.parse(flow.stdout)).toEqual({
      status: "success",
      artifacts_file: { filename: "artifacts.zip", size: expect.any(Number) },
      zip_names: ["out/", "out/data.bin", "out/data.sha"],
      zip_sha_matches: true,
      single_file_identical: true,
      by_ref_identical: true,
      raw_identical: true,
      missing_job: 404,
      after_delete: 404,
    });
  },
  60_000,
);
