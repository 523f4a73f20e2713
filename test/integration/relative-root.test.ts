// external_url with a path (GitLab's relative URL root) over real HTTP and real git: the sign-in redirect and its
// cookies, the API, and `git push` with the pipeline it starts all work under /ci.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeRepo } from "../support/git-repo.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { createProject, runJob } from "../support/terminal-jobs.ts";
import { freePort } from "../support/tls-front.ts";
import { waitFor } from "../support/wait.ts";

let t: TestPorthole;
let home: string;
const repo = makeRepo({
  ".gitlab-ci.yml": 'show:\n  script:\n    - echo "HEAD=$(git rev-parse HEAD) URL=$CI_PROJECT_URL"\n',
});

beforeAll(async () => {
  const port = await freePort();
  t = await startTestPorthole({ listen: `127.0.0.1:${port}`, external_url: `http://127.0.0.1:${port}/ci/` });
  home = mkdtempSync(join(tmpdir(), "porthole-root-home-"));
});
afterAll(async () => {
  await t?.stop();
  rmSync(home, { recursive: true, force: true });
  rmSync(repo.dir, { recursive: true, force: true });
});

test("signing in happens under /ci: the redirect, the form's action and both cookies' paths", async () => {
  expect(t.url).toMatch(/\/ci$/);
  const start = await fetch(`${t.url}/`, { redirect: "manual" });
  expect(start.status).toBe(302);
  expect(start.headers.get("location")).toBe("/ci/users/sign_in?redirect_to=%2F");
  const form = await fetch(`${t.url}/users/sign_in?redirect_to=%2F`);
  const html = await form.text();
  expect(html).toContain('action="/ci/users/sign_in"');
  expect(html).toMatch(/<script type="module" src="\/ci\/-\/assets\/ui-[a-z0-9]+\.js">/);
  const csrfCookie = form.headers.getSetCookie().find((c) => c.startsWith("_porthole_csrf="))!;
  expect(csrfCookie).toContain("Path=/ci;");
  const token = html.match(/name="authenticity_token" value="([^"]+)"/)![1]!;
  const signedIn = await fetch(`${t.url}/users/sign_in`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: csrfCookie.split(";")[0]!, origin: new URL(t.url).origin },
    body: new URLSearchParams({
      authenticity_token: token,
      "user[login]": "root",
      "user[password]": t.rootPassword,
      redirect_to: "/",
    }),
  });
  expect(signedIn.status).toBe(303);
  expect(signedIn.headers.get("location")).toBe("/ci/");
  expect(signedIn.headers.getSetCookie().find((c) => c.startsWith("_porthole_session="))).toContain("Path=/ci;");
});

test("git push to /ci/<project>.git starts the pipeline; the job's CI_PROJECT_URL is under /ci", async () => {
  const made = await t.api("/projects", { method: "POST", json: { name: "pushed" } });
  const project = (await made.json()) as { id: number; path_with_namespace: string; http_url_to_repo: string };
  expect(project.http_url_to_repo).toBe(`${t.url}/${project.path_with_namespace}.git`);
  const remote = new URL(project.http_url_to_repo);
  remote.username = "root";
  remote.password = t.rootToken;
  // Async: the server answering git runs in this process.
  const push = Bun.spawn(["git", "push", remote.toString(), "main"], {
    cwd: repo.dir,
    env: { PATH: process.env.PATH!, HOME: home, GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1" },
    stderr: "pipe",
  });
  expect(await push.exited).toBe(0);
  const [pipeline] = (await (await t.api(`/projects/${project.id}/pipelines`)).json()) as { id: number }[];
  const [job] = (await (await t.api(`/projects/${project.id}/pipelines/${pipeline!.id}/jobs`)).json()) as {
    id: number;
  }[];
  const log = await waitFor("the job's checkout line", async () => {
    const text = await (await t.api(`/projects/${project.id}/jobs/${job!.id}/trace`)).text();
    return /HEAD=[0-9a-f]{40}/.test(text) ? text : null;
  });
  expect(log).toContain(`HEAD=${repo.sha} URL=${t.url}/${project.path_with_namespace}`);
});

test("`porthole attach` with a job URL under /ci finds the job's API under /ci and types into its shell", async () => {
  const job = await runJob(t, await createProject(t, "attach-under-root"));
  const proc = Bun.spawn(
    [process.execPath, join(import.meta.dir, "../../src/main.ts"), "attach", `${t.url}${job.jobPath}`],
    {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, PORTHOLE_TOKEN: t.rootToken },
    },
  );
  let out = "";
  const reading = (async () => {
    for await (const chunk of proc.stdout) out += Buffer.from(chunk).toString("latin1");
  })();
  proc.stdin.write("echo under''=root; touch go\n");
  proc.stdin.flush();
  const deadline = Date.now() + 15_000;
  while (!out.includes("under=root") && Date.now() < deadline && proc.exitCode === null) await Bun.sleep(20);
  proc.stdin.end();
  expect(await proc.exited).toBe(0);
  await reading;
  expect(out).toContain("under=root");
  expect(await new Response(proc.stderr).text()).not.toContain("no such job");
});
