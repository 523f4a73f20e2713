// `git push` straight to porthole with real git (token as the URL's password): the push starts the pipeline at once
// with the commit variables filled; protected branches refuse a Developer; Reporters and `-o ci.skip` start nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROLES } from "../../src/auth/permissions.ts";
import { createPersonalAccessToken } from "../../src/auth/tokens.ts";
import { insertTestUser } from "../../src/auth/users.testing.ts";
import { members } from "../../src/store/schema.ts";
import { makeRepo } from "../support/git-repo.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { waitFor } from "../support/wait.ts";

const CI = `show:
  script:
    - echo "SHA=$CI_COMMIT_SHA BEFORE=$CI_COMMIT_BEFORE_SHA SOURCE=$CI_PIPELINE_SOURCE BRANCH=$CI_COMMIT_BRANCH"
    - echo "FILE=$(cat x.txt) HEAD=$(git rev-parse HEAD)"
`;

let t: TestPorthole;
let home: string;
let project: { id: number; path_with_namespace: string };
const users: Record<string, string> = {};
const repo = makeRepo({ ".gitlab-ci.yml": CI });

beforeAll(async () => {
  t = await startTestPorthole({});
  home = mkdtempSync(join(tmpdir(), "porthole-push-home-"));
  const made = await t.api("/projects", { method: "POST", json: { name: `hosted${Date.now()}` } });
  expect(made.status).toBe(201);
  project = (await made.json()) as typeof project;
  const db = t.porthole.store.db;
  for (const [name, level] of [
    ["dev", ROLES.developer],
    ["maint", ROLES.maintainer],
    ["rep", ROLES.reporter],
  ] as const) {
    const user = insertTestUser(db, { username: `${name}${Date.now()}` });
    users[name] = createPersonalAccessToken(db, { userId: user.id, name: "git", scopes: ["api"] }).token;
    db.insert(members).values({ projectId: project.id, userId: user.id, accessLevel: level }).run();
  }
});
afterAll(async () => {
  await t?.stop();
  rmSync(home, { recursive: true, force: true });
  rmSync(repo.dir, { recursive: true, force: true });
});

/** Real git in its own process (the server answering it runs in this one). */
async function git(...args: string[]) {
  const proc = Bun.spawn(["git", ...args], {
    cwd: repo.dir,
    env: { PATH: process.env.PATH!, HOME: home, GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1" },
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

const remote = (who: string) => {
  const url = new URL(`${t.url}/${project.path_with_namespace}.git`);
  url.username = who;
  url.password = users[who]!;
  return url.toString();
};

async function pipelineList(): Promise<{ id: number; sha: string; source: string; status: string }[]> {
  return (await t.api(`/projects/${project.id}/pipelines?per_page=100`)).json() as never;
}

describe("git push to porthole", () => {
  test("a Developer's push to the protected default branch is refused and starts nothing", async () => {
    const refused = await git("push", remote("dev"), "main");
    expect(refused.ok).toBe(false);
    expect(refused.stderr).toContain(
      "[remote rejected] main -> main (protected branch: only Maintainers may push to it)",
    );
    expect((await git("ls-remote", remote("rep"))).stdout).not.toContain(repo.sha);
    expect(await pipelineList()).toEqual([]);
  });

  test("a Maintainer's push starts the pipeline at once, with the commit variables filled", async () => {
    const pushed = await git("push", remote("maint"), "main");
    expect(pushed.stderr).not.toContain("rejected");
    expect(pushed.ok).toBe(true);
    // At once: the pipeline exists when `git push` returns.
    expect((await pipelineList()).find((p) => p.sha === repo.sha)).toMatchObject({ source: "push" });

    const second = repo.commit({ "x.txt": "2" }, "second");
    expect((await git("push", remote("maint"), "main")).ok).toBe(true);
    const pipeline = (await pipelineList()).find((p) => p.sha === second)!;
    expect(pipeline).toBeDefined();
    const jobs = (await (await t.api(`/projects/${project.id}/pipelines/${pipeline.id}/jobs`)).json()) as {
      id: number;
    }[];
    const log = await waitFor("the job's log line", async () => {
      const text = await (await t.api(`/projects/${project.id}/jobs/${jobs[0]!.id}/trace`)).text();
      return /SOURCE=push BRANCH=\w/.test(text) ? text : null;
    });
    expect(log).toContain(`SHA=${second} BEFORE=${repo.sha} SOURCE=push BRANCH=main`);
    // The job runs in a checkout of the pushed commit.
    await waitFor("the checkout line", async () => {
      const text = await (await t.api(`/projects/${project.id}/jobs/${jobs[0]!.id}/trace`)).text();
      return /FILE=\d/.test(text) ? text : null;
    });
    const full = await (await t.api(`/projects/${project.id}/jobs/${jobs[0]!.id}/trace`)).text();
    expect(full).toContain(`FILE=2 HEAD=${second}`);
  });

  test("a Developer pushes an unprotected branch; `-o ci.skip` and `[skip ci]` start nothing", async () => {
    const feature = repo.commit({ "x.txt": "3" }, "feature");
    expect((await git("push", remote("dev"), "main:feature")).ok).toBe(true);
    expect((await pipelineList()).find((p) => p.sha === feature)).toBeDefined();
    const quiet = repo.commit({ "x.txt": "4" }, "quiet");
    expect((await git("push", "-o", "ci.skip", remote("dev"), "main:feature")).ok).toBe(true);
    const skipped = repo.commit({ "x.txt": "5" }, "docs [skip ci]");
    expect((await git("push", remote("dev"), "main:feature")).ok).toBe(true);
    const shas = (await pipelineList()).map((p) => p.sha);
    expect(shas).not.toContain(quiet);
    expect(shas).not.toContain(skipped);
    const refs = await git("ls-remote", remote("rep"), "refs/heads/feature");
    expect(refs.stdout).toStartWith(skipped);
  });

  test("a push larger than git's post buffer (sent chunked) lands and starts its pipeline", async () => {
    const big = Buffer.from(crypto.getRandomValues(new Uint8Array(3 * 1024 * 1024))).toString("base64");
    const sha = repo.commit({ "big.txt": big }, "big");
    expect((await git("push", remote("dev"), "main:big")).ok).toBe(true);
    expect((await pipelineList()).map((p) => p.sha)).toContain(sha);
  });

  test("a tag push starts a tag pipeline; a branch deletion starts nothing", async () => {
    repo.commit({ "x.txt": "6" }, "release");
    expect((await git("tag", "v1")).ok).toBe(true);
    expect((await git("push", remote("dev"), "v1")).ok).toBe(true);
    const tagged = await t.api(`/projects/${project.id}/pipelines?ref=v1`);
    expect(((await tagged.json()) as unknown[]).length).toBe(1);
    // An annotated tag's pipeline runs the commit, not the tag object.
    repo.git("tag", "-a", "v2", "-m", "release two");
    expect((await git("push", remote("dev"), "v2")).ok).toBe(true);
    const annotated = (await (await t.api(`/projects/${project.id}/pipelines?ref=v2`)).json()) as { sha: string }[];
    expect(annotated.map((p) => p.sha)).toEqual([repo.git("rev-parse", "HEAD")]);
    const before = (await pipelineList()).length;
    expect((await git("push", remote("dev"), ":feature")).ok).toBe(true);
    expect((await git("ls-remote", remote("rep"), "refs/heads/feature")).stdout).toBe("");
    expect((await pipelineList()).length).toBe(before);
  });

  test("a force push to a protected branch is refused, for a Maintainer too; to an unprotected one it is not", async () => {
    const tip = repo.git("rev-parse", "HEAD");
    expect((await git("push", remote("maint"), "main")).ok).toBe(true);
    repo.git("reset", "-q", "--hard", "HEAD~1");
    const rewritten = repo.commit({ "x.txt": "rewritten" }, "rewritten history");
    const forced = await git("push", "--force", remote("maint"), "main");
    expect(forced.ok).toBe(false);
    expect(forced.stderr).toContain("non-fast-forward");
    expect((await git("ls-remote", remote("rep"), "refs/heads/main")).stdout).toStartWith(tip);
    expect((await git("push", remote("dev"), `${tip}:refs/heads/scratch`)).ok).toBe(true);
    expect((await git("push", "--force", remote("dev"), "main:scratch")).ok).toBe(true);
    expect((await git("ls-remote", remote("rep"), "refs/heads/scratch")).stdout).toStartWith(rewritten);
  });

  test("a mirrored project (import_url) takes no pushes: they belong to its forge", async () => {
    const made = await t.api("/projects", {
      method: "POST",
      json: { name: `mirror${Date.now()}`, import_url: repo.dir },
    });
    const mirrored = (await made.json()) as { path_with_namespace: string };
    const url = new URL(`${t.url}/${mirrored.path_with_namespace}.git`);
    url.username = "root";
    url.password = t.rootToken;
    const pushed = await git("push", url.toString(), "main:elsewhere");
    expect(pushed.ok).toBe(false);
    expect(pushed.stderr).toContain("403");
  });

  test("a Reporter may clone but not push; a wrong token is asked again", async () => {
    const clone = await git("clone", "--quiet", "--bare", remote("rep"), join(home, "clone.git"));
    expect(clone.ok).toBe(true);
    const pushed = await git("push", remote("rep"), "main:reporter");
    expect(pushed.ok).toBe(false);
    expect(pushed.stderr).toContain("403");
    const bad = new URL(remote("dev"));
    bad.password = "glpat-wrong";
    const wrong = await git("push", bad.toString(), "main:wrong");
    expect(wrong.ok).toBe(false);
    expect(wrong.stderr).toMatch(/Authentication failed|401/);
  });
});
