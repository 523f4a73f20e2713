// `rules:changes` from real git diffs of real pushes to a hosted project: a branch push compares with the previous
// push, a new branch and an API pipeline match, `compare_to` diffs against a named ref, `exists` reads the commit
// or another project the pipeline's user may read.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPersonalAccessToken } from "../../src/auth/tokens.ts";
import { insertTestUser } from "../../src/auth/users.testing.ts";
import { makeRepo } from "../support/git-repo.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

const CI = `workflow:
  rules:
    - when: always
docs:
  rules:
    - changes: [docs/**]
  script: [echo docs]
app:
  rules:
    - changes:
        paths: ['src/**']
  script: [echo app]
app-since-main:
  rules:
    - changes:
        paths: ['src/**']
        compare_to: main
  script: [echo app]
dockerfile:
  rules:
    - exists: {paths: [Dockerfile]}
  script: [echo image]
always:
  script: [echo always]
`;

let t: TestPorthole;
let home: string;
let project: { id: number; path_with_namespace: string };
const repo = makeRepo({ ".gitlab-ci.yml": CI, "src/app.ts": "1", "docs/readme.md": "1" });

beforeAll(async () => {
  t = await startTestPorthole({});
  home = mkdtempSync(join(tmpdir(), "porthole-changes-home-"));
  const made = await t.api("/projects", { method: "POST", json: { name: `changes${Date.now()}` } });
  project = (await made.json()) as typeof project;
});
afterAll(async () => {
  await t?.stop();
  rmSync(home, { recursive: true, force: true });
  rmSync(repo.dir, { recursive: true, force: true });
});

async function push(refspec: string): Promise<void> {
  const url = new URL(`${t.url}/${project.path_with_namespace}.git`);
  url.username = "root";
  url.password = t.rootToken;
  const proc = Bun.spawn(["git", "push", url.toString(), refspec], {
    cwd: repo.dir,
    env: { PATH: process.env.PATH!, HOME: home, GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`git push ${refspec}: ${stderr}`);
}

/** The job names of the pipeline for `sha`. */
async function jobsFor(sha: string): Promise<string[]> {
  const pipelines = (await (await t.api(`/projects/${project.id}/pipelines?per_page=100`)).json()) as {
    id: number;
    sha: string;
  }[];
  const pipeline = pipelines.find((p) => p.sha === sha);
  if (!pipeline) throw new Error(`no pipeline for ${sha}`);
  const jobs = (await (await t.api(`/projects/${project.id}/pipelines/${pipeline.id}/jobs`)).json()) as {
    name: string;
  }[];
  return jobs.map((j) => j.name).sort();
}

describe("rules:changes across pushes", () => {
  test("the first push of a branch matches every changes rule; later pushes compare with the previous push", async () => {
    await push("main");
    // compare_to: main on main itself: the commit is its own merge base, so nothing changed since main.
    expect(await jobsFor(repo.sha)).toEqual(["always", "app", "docs"]);
    const docsOnly = repo.commit({ "docs/readme.md": "2" }, "docs");
    await push("main");
    expect(await jobsFor(docsOnly)).toEqual(["always", "docs"]);
    const srcOnly = repo.commit({ "src/app.ts": "2" }, "src");
    await push("main");
    expect(await jobsFor(srcOnly)).toEqual(["always", "app"]);
  });

  test("a new branch matches changes without compare_to; compare_to: main diffs the branch against main", async () => {
    repo.git("checkout", "-q", "-b", "feature");
    const feature = repo.commit({ "src/feature.ts": "1", Dockerfile: "FROM alpine" }, "feature");
    await push("feature");
    expect(await jobsFor(feature)).toEqual(["always", "app", "app-since-main", "dockerfile", "docs"]);
    const docsOnFeature = repo.commit({ "docs/feature.md": "1" }, "feature docs");
    await push("feature");
    // Since main, src/feature.ts changed on this branch: compare_to sees it, the plain rule (this push) does not.
    expect(await jobsFor(docsOnFeature)).toEqual(["always", "app-since-main", "dockerfile", "docs"]);
  });

  test("an API pipeline knows no pushed changes: changes without compare_to is true, as GitLab", async () => {
    const res = await t.api(`/projects/${project.id}/pipeline?ref=main`, { method: "POST" });
    expect(res.status).toBe(201);
    const { sha } = (await res.json()) as { sha: string };
    const pipelines = (await (await t.api(`/projects/${project.id}/pipelines?source=api`)).json()) as { id: number }[];
    const jobs = (await (await t.api(`/projects/${project.id}/pipelines/${pipelines[0]!.id}/jobs`)).json()) as {
      name: string;
    }[];
    expect(sha).toBe(repo.git("rev-parse", "main"));
    expect(jobs.map((j) => j.name).sort()).toEqual(["always", "app", "docs"]);
  });
});

describe("rules:exists with project", () => {
  test("looks in another project the pipeline's user may read; one they may not read fails the pipeline", async () => {
    const tools = makeRepo({ Dockerfile: "FROM alpine\n", ".gitlab-ci.yml": "x: {script: [x]}\n" });
    const secret = makeRepo({ Makefile: "all:\n", ".gitlab-ci.yml": "x: {script: [x]}\n" });
    const imported = async (name: string, dir: string) => {
      const res = await t.api("/projects", { method: "POST", json: { name, import_url: dir } });
      expect(res.status).toBe(201);
      return (await res.json()) as { id: number; path_with_namespace: string };
    };
    const toolsProject = await imported(`tools${Date.now()}`, tools.dir);
    const secretProject = await imported(`secret${Date.now()}`, secret.dir);
    await t.api(`/projects/${toolsProject.id}`, { method: "PUT", json: { visibility: "internal" } });
    const app = makeRepo({
      ".gitlab-ci.yml": `image-job:
  rules:
    - exists: {paths: [Dockerfile], project: ${toolsProject.path_with_namespace}, ref: main}
  script: [echo image]
make-job:
  rules:
    - exists: {paths: [Makefile], project: ${secretProject.path_with_namespace}}
  script: [echo make]
always:
  script: [echo always]
`,
    });
    app.git("checkout", "-q", "-b", "feature");
    const appProject = await imported(`app${Date.now()}`, app.dir);
    const db = t.porthole.store.db;
    const user = insertTestUser(db, { username: `dev${Date.now()}` });
    const token = createPersonalAccessToken(db, { userId: user.id, name: "t", scopes: ["api"] }).token;
    await t.api(`/projects/${appProject.id}/members`, { method: "POST", json: { user_id: user.id, access_level: 30 } });
    const run = (who: string) =>
      fetch(`${t.url}/api/v4/projects/${appProject.id}/pipeline`, {
        method: "POST",
        headers: { "PRIVATE-TOKEN": who, "Content-Type": "application/json" },
        body: JSON.stringify({ ref: "feature" }),
      });
    // Root reads both: both exist clauses hold.
    const byRoot = await run(t.rootToken);
    expect(byRoot.status).toBe(201);
    const pipeline = (await byRoot.json()) as { id: number };
    const jobs = (await (await t.api(`/projects/${appProject.id}/pipelines/${pipeline.id}/jobs`)).json()) as {
      name: string;
    }[];
    expect(jobs.map((j) => j.name).sort()).toEqual(["always", "image-job", "make-job"]);
    // The Developer of the app reads the internal tools project but not the private one: GitLab's refusal.
    const byDev = await run(token);
    expect(byDev.status).toBe(400);
    expect(((await byDev.json()) as { message: { base: string[] } }).message.base).toEqual([
      `Failed to parse rule for make-job: rules:exists:project \`${secretProject.path_with_namespace}\` access denied or not found (line 5, column 1)`,
    ]);
    for (const r of [tools, secret, app]) rmSync(r.dir, { recursive: true, force: true });
  });
});
