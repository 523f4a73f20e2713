// The repo_url a remote runner gets really clones: real `git clone` over smart HTTP with the job token, the job's
// commit checked out; refused with a wrong token, another project's job token, a finished job's token, or no access.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPersonalAccessToken } from "../../src/auth/tokens.ts";
import { insertTestUser } from "../../src/auth/users.testing.ts";
import { makeRepo } from "../support/git-repo.ts";
import { gitlabRunnerCalls, traceChecksum } from "../support/gitlab-runner-calls.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

let t: TestPorthole;
let work: string;
const repo = makeRepo({ ".gitlab-ci.yml": "build:\n  script: [cat hello.txt]\n", "hello.txt": "hello from git\n" });

beforeAll(async () => {
  t = await startTestPorthole({ runner: { enabled: false }, runner_api: { long_poll_timeout: 1 } });
  work = mkdtempSync(join(tmpdir(), "porthole-clone-"));
});
afterAll(async () => {
  await t?.stop();
  rmSync(work, { recursive: true, force: true });
  rmSync(repo.dir, { recursive: true, force: true });
});

/** `git clone` as a separate process (asynchronously: the server answering it runs in this process). */
async function git(args: string[], cwd?: string) {
  const proc = Bun.spawn(["git", ...args], {
    cwd,
    env: { PATH: process.env.PATH!, HOME: work, GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { ok: code === 0, stdout, stderr };
}
const gitClone = (url: string, dest: string) => git(["clone", "--quiet", "--no-checkout", url, dest]);

/** What gitlab-runner does with git_info: init, fetch the refspecs from repo_url, check out the sha. */
async function runnerCheckout(info: Job["git_info"], dest: string) {
  mkdirSync(dest, { recursive: true });
  for (const step of [
    ["init", "--quiet"],
    ["fetch", "--quiet", info.repo_url, ...info.refspecs],
    ["checkout", "--quiet", "-f", info.sha],
  ]) {
    const res = await git(step, dest);
    if (!res.ok) return res;
  }
  return git(["rev-parse", "HEAD"], dest);
}

async function projectWithRepo(name: string): Promise<number> {
  const r = await t.api("/projects", { method: "POST", json: { name, import_url: repo.dir } });
  expect(r.status).toBe(201);
  const id = ((await r.json()) as { id: number }).id;
  expect((await t.api(`/projects/${id}/pipeline?ref=main`, { method: "POST" })).status).toBe(201);
  return id;
}

async function runnerCalls() {
  const r = await t.api("/user/runners", { method: "POST", json: { runner_type: "instance_type" } });
  return gitlabRunnerCalls({ base: t.url, token: ((await r.json()) as { token: string }).token });
}

type Job = { id: number; token: string; git_info: { repo_url: string; sha: string; ref: string; refspecs: string[] } };

test("a runner clones repo_url with the job token and gets the job's commit; wrong tokens are refused", async () => {
  await projectWithRepo("cloned");
  const runner = await runnerCalls();
  const res = await runner.requestJob();
  expect(res.status).toBe(201);
  const job = (await res.json()) as Job;
  expect(job.git_info).toMatchObject({
    sha: repo.sha,
    ref: "main",
    refspecs: ["+refs/heads/main:refs/remotes/origin/main"],
  });

  const dest = join(work, "ok");
  const checkout = await runnerCheckout(job.git_info, dest);
  expect(checkout.stderr).toBe("");
  expect(checkout.stdout.trim()).toBe(repo.sha);
  expect(readFileSync(join(dest, "hello.txt"), "utf8")).toBe("hello from git\n");

  const wrong = new URL(job.git_info.repo_url);
  wrong.password = "glcbt-not-the-token";
  const refused = await gitClone(wrong.toString(), join(work, "wrong"));
  expect(refused.ok).toBe(false);
  expect(refused.stderr).toContain("Authentication failed");

  const anonymous = new URL(job.git_info.repo_url);
  anonymous.username = "";
  anonymous.password = "";
  expect((await gitClone(anonymous.toString(), join(work, "anon"))).ok).toBe(false);

  // Pushing is not offered at all.
  const push = await fetch(`${t.url}/root/cloned.git/info/refs?service=git-receive-pack`, {
    headers: { Authorization: `Basic ${Buffer.from(`gitlab-ci-token:${job.token}`).toString("base64")}` },
  });
  expect(push.status).toBe(403);

  expect((await runner.updateJob(job.id, job.token, "success", { output: traceChecksum("") })).status).toBe(200);
  const after = await gitClone(job.git_info.repo_url, join(work, "after"));
  expect(after.ok).toBe(false); // the job ended: its token is gone
});

test("a job token opens only its own project; a user needs Reporter access through a personal access token", async () => {
  await projectWithRepo("first");
  await projectWithRepo("second");
  const runner = await runnerCalls();
  const job = (await (await runner.requestJob()).json()) as Job;
  const own = new URL(job.git_info.repo_url);
  const other = new URL(
    own
      .toString()
      .replace(/\/root\/[^/]+\.git$/, own.pathname.endsWith("/first.git") ? "/root/second.git" : "/root/first.git"),
  );
  expect((await gitClone(other.toString(), join(work, "other"))).ok).toBe(false);

  const rootClone = new URL(`${t.url}/root/first.git`);
  rootClone.username = "root";
  rootClone.password = t.rootToken;
  expect((await gitClone(rootClone.toString(), join(work, "root"))).ok).toBe(true);

  const stranger = insertTestUser(t.porthole.store.db, {
    username: "stranger",
    name: "S",
    email: "s@x.test",
  });
  const { token } = await createPersonalAccessToken(t.porthole.store.db, {
    userId: stranger.id,
    name: "t",
    scopes: ["read_api"],
  });
  const strangerClone = new URL(`${t.url}/root/first.git`);
  strangerClone.username = "stranger";
  strangerClone.password = token;
  const res = await gitClone(strangerClone.toString(), join(work, "stranger"));
  expect(res.ok).toBe(false);
  expect(res.stderr).toContain("not found");
  await runner.updateJob(job.id, job.token, "success", { output: traceChecksum("") });
});
