// Environments with the embedded shell runner: a deployment follows its job, CI_ENVIRONMENT_* reach the script, the
// Environments page's Stop button runs the on_stop job (CSRF-checked), auto_stop_in stops by itself, and GitLab's
// permission levels hold for the API.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ROLES } from "../../src/auth/permissions.ts";
import { createPersonalAccessToken } from "../../src/auth/tokens.ts";
import { insertTestUser } from "../../src/auth/users.testing.ts";
import { environmentSlug } from "../../src/domain/environment-name.ts";
import { members } from "../../src/store/schema.ts";
import { apiFetch } from "../support/api-fetch.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { waitFor } from "../support/wait.ts";
import { webSession } from "../support/web-session.ts";

let t: TestPorthole;
beforeAll(async () => {
  t = await startTestPorthole({});
});
afterAll(async () => {
  await t?.stop();
});

const ci = (autoStop: string) => `stages: [deploy, cleanup]
deploy:
  stage: deploy
  script:
    - sleep 1
    - echo "ENV=$CI_ENVIRONMENT_NAME SLUG=$CI_ENVIRONMENT_SLUG URL=$CI_ENVIRONMENT_URL TIER=$CI_ENVIRONMENT_TIER ACTION=$CI_ENVIRONMENT_ACTION"
    - echo "SECRET=$SECRET"
  environment:
    name: review/$CI_COMMIT_REF_NAME
    url: https://$CI_ENVIRONMENT_SLUG.example.com
    on_stop: stop_review
    auto_stop_in: ${autoStop}
stop_review:
  stage: cleanup
  when: manual
  script:
    - echo "STOPPING=$CI_ENVIRONMENT_NAME ACTION=$CI_ENVIRONMENT_ACTION URL=$CI_ENVIRONMENT_URL"
  environment:
    name: review/$CI_COMMIT_REF_NAME
    action: stop
`;

interface Env {
  id: number;
  name: string;
  slug: string;
  state: string;
  tier: string;
  external_url: string | null;
  auto_stop_at: string | null;
  last_deployment?: { status: string; deployable: { name: string; id: number } } | null;
}
interface Job {
  id: number;
  name: string;
  status: string;
}

async function deployedProject(autoStop = "1 week", variables: Record<string, string>[] = []) {
  const res = await t.api("/projects", {
    method: "POST",
    json: { name: `env${crypto.randomUUID().slice(0, 8)}`, ci_config: ci(autoStop) },
  });
  const project = (await res.json()) as { id: number; path_with_namespace: string };
  for (const json of variables)
    expect((await t.api(`/projects/${project.id}/variables`, { method: "POST", json })).status).toBe(201);
  const pipeline = (await (await t.api(`/projects/${project.id}/pipeline?ref=main`, { method: "POST" })).json()) as {
    id: number;
  };
  return { project, pipeline };
}

const jobsOf = async (projectId: number) =>
  (await (await t.api(`/projects/${projectId}/jobs?per_page=100`)).json()) as Job[];
const environmentsOf = async (projectId: number) =>
  (await (await t.api(`/projects/${projectId}/environments`)).json()) as Env[];

async function deployed(projectId: number): Promise<Job[]> {
  return waitFor(
    "the deploy job to succeed and the stop job to wait",
    async () => {
      const jobs = await jobsOf(projectId);
      const deploy = jobs.find((j) => j.name === "deploy");
      return deploy?.status === "success" && jobs.find((j) => j.name === "stop_review")?.status === "manual"
        ? jobs
        : null;
    },
    30_000,
  );
}

describe("environments", () => {
  test("a deployment follows its job: created, running, success; the environment takes its url and tier", async () => {
    const { project } = await deployedProject("1 week", [
      { key: "SECRET", value: "for-production", environment_scope: "production" },
      { key: "SECRET", value: "for-reviews", environment_scope: "review/*" },
      { key: "SECRET", value: "for-all", environment_scope: "*" },
    ]);
    const running = await waitFor("the deployment to run", async () => {
      const list = (await (await t.api(`/projects/${project.id}/deployments`)).json()) as { status: string }[];
      return list[0]?.status === "running" ? list : null;
    });
    expect(running).toHaveLength(1);
    const jobs = await deployed(project.id);
    const [env] = await environmentsOf(project.id);
    const slug = environmentSlug("review/main");
    expect(env).toMatchObject({
      name: "review/main",
      slug,
      state: "available",
      tier: "development",
      external_url: `https://${slug}.example.com`,
    });
    const weekAhead = Date.now() + 7 * 86_400_000;
    expect(Math.abs(Date.parse(env!.auto_stop_at!) - weekAhead)).toBeLessThan(60_000);
    const one = (await (await t.api(`/projects/${project.id}/environments/${env!.id}`)).json()) as Env;
    expect(one.last_deployment).toMatchObject({ status: "success", deployable: { name: "deploy" } });
    const deployments = (await (await t.api(`/projects/${project.id}/deployments`)).json()) as {
      id: number;
      iid: number;
      status: string;
      environment: { name: string };
    }[];
    expect(deployments).toMatchObject([{ iid: 1, status: "success", environment: { name: "review/main" } }]);
    const single = await t.api(`/projects/${project.id}/deployments/${deployments[0]!.id}`);
    expect(((await single.json()) as { ref: string }).ref).toBe("main");
    const deployJob = jobs.find((j) => j.name === "deploy")!;
    const log = await (await t.api(`/projects/${project.id}/jobs/${deployJob.id}/trace`)).text();
    expect(log).toContain(`ENV=review/main SLUG=${slug} URL=https://${slug}.example.com TIER=development ACTION=start`);
  }, 60_000);

  test("the Environments page's Stop button runs the on_stop job, which stops the environment", async () => {
    const { project } = await deployedProject();
    await deployed(project.id);
    const [env] = await environmentsOf(project.id);
    const root = t.porthole.store.repos.users.findByExactUsername("root")!;
    const session = webSession(t, root.id);
    const pagePath = `/${project.path_with_namespace}/-/environments`;
    const page = await fetch(`${t.url}${pagePath}`, { headers: { Cookie: session.cookie } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("review/main");
    expect(html).toContain(`action="${pagePath}/${env!.id}/stop"`);
    // Without the session's CSRF token the form is refused and nothing stops.
    const forged = await fetch(`${t.url}${pagePath}/${env!.id}/stop`, {
      method: "POST",
      headers: { Cookie: session.cookie, Origin: session.origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: "authenticity_token=forged",
      redirect: "manual",
    });
    expect(forged.status).toBe(422);
    expect((await jobsOf(project.id)).find((j) => j.name === "stop_review")?.status).toBe("manual");
    const stop = await session.submit(`${pagePath}/${env!.id}/stop`);
    expect(stop.status).toBe(303);
    expect(stop.headers.get("location")).toBe(pagePath);
    const stopping = await environmentsOf(project.id);
    expect(["stopping", "stopped"]).toContain(stopping[0]!.state);
    const stopJob = await waitFor(
      "the on_stop job to succeed",
      async () => (await jobsOf(project.id)).find((j) => j.name === "stop_review" && j.status === "success"),
      30_000,
    );
    const log = await (await t.api(`/projects/${project.id}/jobs/${stopJob.id}/trace`)).text();
    const jobPage = await (
      await fetch(`${t.url}/${project.path_with_namespace}/-/jobs/${stopJob.id}`, {
        headers: { Cookie: session.cookie },
      })
    ).text();
    expect(jobPage).toContain(`This job stops <a href="${pagePath}">review/main</a>`);
    // The stop job names no url: it gets the one the environment has.
    expect(log).toContain(`STOPPING=review/main ACTION=stop URL=https://${environmentSlug("review/main")}.example.com`);
    await waitFor(
      "the environment to be stopped",
      async () => (await environmentsOf(project.id))[0]!.state === "stopped",
    );
    const after = await (await fetch(`${t.url}${pagePath}`, { headers: { Cookie: session.cookie } })).text();
    expect(after).not.toContain(`action="${pagePath}/${env!.id}/stop"`);
  }, 60_000);

  test("auto_stop_in stops the environment by itself, running its on_stop job", async () => {
    const { project } = await deployedProject("2 seconds");
    await deployed(project.id);
    await waitFor(
      "the on_stop job to run by itself",
      async () => (await jobsOf(project.id)).find((j) => j.name === "stop_review" && j.status === "success"),
      30_000,
    );
    await waitFor(
      "the environment to be stopped",
      async () => (await environmentsOf(project.id))[0]!.state === "stopped",
    );
  }, 60_000);

  test("Reporters read environments, Developers may not stop one on a protected branch, Guests may not read them", async () => {
    const { project } = await deployedProject();
    await deployed(project.id);
    const [env] = await environmentsOf(project.id);
    const db = t.porthole.store.db;
    const tokens: Record<string, string> = {};
    for (const [name, level] of [
      ["guest", ROLES.guest],
      ["reporter", ROLES.reporter],
      ["developer", ROLES.developer],
    ] as const) {
      const user = insertTestUser(db, { username: `${name}${crypto.randomUUID().slice(0, 6)}` });
      tokens[name] = createPersonalAccessToken(db, { userId: user.id, name: "t", scopes: ["api"] }).token;
      db.insert(members).values({ projectId: project.id, userId: user.id, accessLevel: level }).run();
    }
    const as = (who: string, path: string, init?: RequestInit) => apiFetch(t.url, tokens[who]!, path, init);
    expect((await as("guest", `/projects/${project.id}/environments`)).status).toBe(403);
    expect((await as("reporter", `/projects/${project.id}/environments`)).status).toBe(200);
    expect((await as("reporter", `/projects/${project.id}/deployments`)).status).toBe(200);
    expect(
      (await as("reporter", `/projects/${project.id}/environments/${env!.id}/stop`, { method: "POST" })).status,
    ).toBe(403);
    const dev = await as("developer", `/projects/${project.id}/environments/${env!.id}/stop`, { method: "POST" });
    expect(dev.status).toBe(403);
    expect(await dev.json()).toEqual({
      message: "403 Forbidden - You do not have sufficient permission to run a job on protected branch 'main'",
    });
    expect((await environmentsOf(project.id))[0]!.state).toBe("available");
    expect((await t.api(`/projects/${project.id}/environments/999999`)).status).toBe(404);
    const search = async (query: string) =>
      ((await (await t.api(`/projects/${project.id}/environments?${query}`)).json()) as Env[]).map((e) => e.name);
    expect(await search("search=VIEW")).toEqual(["review/main"]);
    expect(await search("search=prod")).toEqual([]);
    expect(await search("states=available")).toEqual(["review/main"]);
    const both = await t.api(`/projects/${project.id}/environments?name=a&search=b`);
    expect([both.status, await both.json()]).toEqual([400, { error: "name, search are mutually exclusive" }]);
    // `force` stops without the on_stop job.
    const forced = await t.api(`/projects/${project.id}/environments/${env!.id}/stop`, {
      method: "POST",
      json: { force: true },
    });
    expect(((await forced.json()) as Env).state).toBe("stopped");
    expect((await jobsOf(project.id)).find((j) => j.name === "stop_review")?.status).toBe("manual");
  }, 60_000);
});
