// Real GitLab clients (python-gitlab and its `gitlab` CLI, Debian's python3-gitlab) drive porthole as a user would.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { mirroredRepo } from "../support/mirrored-repo.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { pythonGitlabAvailable, runPython } from "../support/python-gitlab.ts";

const available = pythonGitlabAvailable();
if (!available) console.log("SKIP python-gitlab tests: python3-gitlab is not installed");

let t: TestPorthole;

beforeAll(async () => {
  if (available) t = await startTestPorthole({ runner: { concurrent: 2 } });
});
afterAll(() => t?.stop());

test.skipIf(!available)(
  "python-gitlab: project, pipeline, jobs, trace, cancel, retry, play, trigger",
  async () => {
    const flow = await runPython([join(import.meta.dir, "python/ci_flow.py"), t.url, t.rootToken]);
    if (flow.code !== 0) throw new Error(`ci_flow.py exited ${flow.code}:\n${flow.stderr}\n${flow.stdout}`);
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
      const {
        stdout,
        code: exitCode,
        stderr,
      } = await runPython(["-m", "gitlab", "--server-url", t.url, "--private-token", t.rootToken, ...args]);
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
  "python-gitlab and its CLI: branches, tags, commits, files, commit statuses, pipeline variables, CI variables",
  async () => {
    const repo = mirroredRepo();
    const flow = await runPython([join(import.meta.dir, "python/repository_flow.py"), t.url, t.rootToken, repo.dir]);
    if (flow.code !== 0) throw new Error(`repository_flow.py exited ${flow.code}:\n${flow.stderr}\n${flow.stdout}`);
    const seen = JSON.parse(flow.stdout);
    expect(seen.owned).toContain("mirrored");
    expect(seen.active_users).toContain("root");
    expect(seen.unrevoked_tokens).toBeGreaterThan(0);
    expect(seen.branches).toEqual(["feature/x", "main"]);
    expect(seen.feature).toEqual({ default: false, protected: false, title: "Feature readme" });
    expect(seen.main).toEqual({ default: true, protected: true });
    expect(seen.tags).toEqual([["v1.0", "first release\n", repo.sha]]);
    expect(seen.commit_titles).toEqual(["Add the app", "initial"]);
    expect(seen.file).toEqual({ path: "docs/read me.md", text: "hello from main\n", size: 16 });
    expect(seen.raw).toBe("hello from feature\n");
    expect(seen.pipeline).toEqual({ status: "success", name: "Build main", source: "api" });
    expect(seen.pipeline_variables).toEqual([["EXTRA", "from python"]]);
    expect(seen.jobs).toEqual({ vars: "success", retrigger: "success" });
    const log: string = seen.vars_log;
    const host = new URL(t.url);
    expect(log).toContain("title=Add the app");
    expect(log).toContain("message=Add the app\n\nWith a body line.\n|");
    expect(log).toContain("author=t <t@x>");
    expect(log).toContain("protected=true");
    expect(log).toContain("before=0000000000000000000000000000000000000000");
    expect(log).toMatch(/timestamp=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d/);
    expect(log).toContain(`server=http://${host.hostname}:${host.port} version=`);
    expect(log).toContain(`repository=http://gitlab-ci-token:[MASKED]@${host.host}/root/mirrored.git`);
    expect(log).toContain("the job token is in the repository URL");
    expect(log).toContain("pipeline-name=Build main");
    expect(log).toMatch(/arch=linux\/(amd64|arm64) namespace-slug=root user=root/);
    expect(log).toContain('"name":"vars"');
    expect(log).toContain('"source":"api"');
    // One pipeline from the job's CI_JOB_TOKEN, with source `pipeline`: its `retrigger` job was ruled out.
    expect(seen.sources).toEqual(["api", "pipeline"]);
    expect(seen.last_pipeline).toBeGreaterThan(0);
    expect(seen.status_created).toEqual({ status: "success", name: "renovate/stability-days", ref: "main" });
    expect(seen.statuses).toContainEqual(["renovate/stability-days", "failed"]);
    expect(seen.statuses).toContainEqual(["vars", "success"]);
    expect(seen.lint).toBe(true);
    expect(seen.latest).toBe(repo.head);

    const cliText = async (...args: string[]) => {
      const {
        stdout,
        code: exitCode,
        stderr,
      } = await runPython([
        "-m",
        "gitlab",
        "--server-url",
        t.url,
        "--private-token",
        t.rootToken,
        "-o",
        "json",
        ...args,
      ]);
      if (exitCode !== 0) throw new Error(`gitlab ${args.join(" ")}: ${stderr}`);
      return stdout;
    };
    const cli = async (...args: string[]) => JSON.parse(await cliText(...args));
    const project = await cli("project", "get", "--id", "root/mirrored");
    const id = String(project.id);
    expect((await cli("project-branch", "list", "--project-id", id)).map((b: { name: string }) => b.name)).toEqual([
      "feature/x",
      "main",
    ]);
    expect((await cli("project-branch", "get", "--project-id", id, "--name", "main")).commit.id).toBe(repo.head);
    expect((await cli("project-tag", "list", "--project-id", id))[0].name).toBe("v1.0");
    expect((await cli("project-commit", "get", "--project-id", id, "--id", repo.feature)).title).toBe("Feature readme");
    expect((await cli("project-commit", "list", "--project-id", id, "--ref-name", "feature/x")).length).toBe(2);
    // (python-gitlab 3.12's CLI cannot create statuses: it drops the ids from the path; its API can, above.)
    const listed = await cli("project-commit-status", "list", "--project-id", id, "--commit-id", repo.head);
    expect(listed.map((s: { name: string }) => s.name)).toContain("renovate/stability-days");
    const pipelines = await cli("project-pipeline", "list", "--project-id", id);
    const byApi = pipelines.find((p: { source: string }) => p.source === "api");
    const variables = await cli(
      "project-pipeline-variable",
      "list",
      "--project-id",
      id,
      "--pipeline-id",
      String(byApi.id),
    );
    expect(variables).toEqual([expect.objectContaining({ key: "EXTRA", value: "from python" })]);
    const file = await cli(
      "project-file",
      "get",
      "--project-id",
      id,
      "--file-path",
      "docs/read me.md",
      "--ref",
      "feature/x",
    );
    expect(Buffer.from(file.content, "base64").toString()).toBe("hello from feature\n");
    expect(
      await cliText("project-file", "raw", "--project-id", id, "--file-path", "docs/read me.md", "--ref", "main"),
    ).toBe("hello from main\n");
    expect(await cli("project-ci-lint", "get", "--project-id", id)).toMatchObject({ valid: true });
  },
  90_000,
);

test.skipIf(!available)(
  "python-gitlab: job.artifacts(), job.artifact(path), project.artifacts.download/raw by ref, delete_artifacts",
  async () => {
    const flow = await runPython([join(import.meta.dir, "python/artifacts_flow.py"), t.url, t.rootToken]);
    if (flow.code !== 0) throw new Error(`artifacts_flow.py exited ${flow.code}:\n${flow.stderr}\n${flow.stdout}`);
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
