// Issue 10 item 3: a Developer may not start pipelines or jobs on the protected `main` (API, page form, retry, play,
// trigger token, job token), so they never get a job of their own that sees protected variables.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { jobs, pipelines } from "../../src/store/schema.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { json, userWithRole } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

const REFUSAL =
  "You do not have sufficient permission to run a pipeline on 'main'. Please select a different branch or contact your administrator for assistance.";
const CI = `
show:
  script:
    - echo "protected=\${DEPLOY_KEY:-absent}"
ship:
  script: [echo shipping]
  when: manual
`;

let t: TestPorthole;
let project: { id: number; path_with_namespace: string };
let developer: { id: number; token: string };
let maintainer: { id: number; token: string };
/** A finished pipeline on `main` that the Maintainer ran, with a manual job waiting. */
let mainPipeline: { id: number; show: number; ship: number };

const api = (path: string, token: string, body?: unknown) =>
  t.api(path, { method: "POST", token, ...(body ? { json: body } : {}) });
const pipelineCount = () => t.porthole.store.db.select().from(pipelines).all().length;
const jobCount = () => t.porthole.store.db.select().from(jobs).all().length;

beforeAll(async () => {
  t = await startTestPorthole();
  project = await json(t.api("/projects", { method: "POST", json: { name: "guarded", ci_config: CI } }));
  developer = await userWithRole(t, "dev", project.id, 30);
  maintainer = await userWithRole(t, "maint", project.id, 40);
  await json(
    t.api(`/projects/${project.id}/variables`, {
      method: "POST",
      json: { key: "DEPLOY_KEY", value: "only-for-main", protected: true },
    }),
  );
  const p = await json<{ id: number }>(api(`/projects/${project.id}/pipeline`, maintainer.token, { ref: "main" }));
  const list = await json<{ id: number; name: string; status: string }[]>(
    t.api(`/projects/${project.id}/pipelines/${p.id}/jobs`),
  );
  const show = list.find((j) => j.name === "show")!.id;
  await waitFor("the Maintainer's job on main to finish", async () => {
    const job = await json<{ status: string }>(t.api(`/projects/${project.id}/jobs/${show}`));
    return job.status === "success";
  });
  const trace = await (await t.api(`/projects/${project.id}/jobs/${show}/trace`)).text();
  expect(trace).toContain("protected=only-for-main"); // the secret the attack is after
  mainPipeline = { id: p.id, show, ship: list.find((j) => j.name === "ship")!.id };
});
afterAll(async () => {
  await t?.stop();
});

describe("a Developer on the protected main", () => {
  test("cannot create a pipeline over the API (GitLab's 400 and wording), and nothing is stored", async () => {
    const before = pipelineCount();
    const res = await api(`/projects/${project.id}/pipeline?ref=main`, developer.token);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: { base: [REFUSAL] } });
    expect(pipelineCount()).toBe(before);
  });

  test("cannot run one from the page form: the refusal shows next to the ref field", async () => {
    const session = createWebSession(t.porthole.store.db, developer.id, {});
    const form = new URLSearchParams({ ref: "main", authenticity_token: session.csrfToken });
    const before = pipelineCount();
    const res = await fetch(`${t.url}/${project.path_with_namespace}/-/pipelines`, {
      method: "POST",
      body: form,
      headers: { Cookie: `_porthole_session=${session.cookieValue}`, Origin: t.url },
      redirect: "manual",
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("You do not have sufficient permission to run a pipeline on &#39;main&#39;");
    expect(pipelineCount()).toBe(before);
  });

  test("cannot retry the Maintainer's job or pipeline, nor play its manual job (403)", async () => {
    const before = jobCount();
    const retry = await api(`/projects/${project.id}/jobs/${mainPipeline.show}/retry`, developer.token);
    expect(retry.status).toBe(403);
    expect((await retry.json()).message).toContain("403 Forbidden");
    const retryAll = await api(`/projects/${project.id}/pipelines/${mainPipeline.id}/retry`, developer.token);
    expect(retryAll.status).toBe(403);
    const play = await api(`/projects/${project.id}/jobs/${mainPipeline.ship}/play`, developer.token);
    expect(play.status).toBe(403);
    expect(jobCount()).toBe(before);
    const ship = await json<{ status: string; user: { username: string } }>(
      t.api(`/projects/${project.id}/jobs/${mainPipeline.ship}`),
    );
    expect(ship.status).toBe("manual");
  });

  test("cannot retry or play from the job page either: nothing runs, the page says why", async () => {
    const session = createWebSession(t.porthole.store.db, developer.id, {});
    const before = jobCount();
    for (const [id, action] of [
      [mainPipeline.show, "retry"],
      [mainPipeline.ship, "play"],
    ] as const) {
      const res = await fetch(`${t.url}/${project.path_with_namespace}/-/jobs/${id}/${action}`, {
        method: "POST",
        body: new URLSearchParams({ authenticity_token: session.csrfToken }),
        headers: { Cookie: `_porthole_session=${session.cookieValue}`, Origin: t.url },
        redirect: "manual",
      });
      expect(res.status).toBe(303);
      const flash = res.headers
        .getSetCookie()
        .map((cookie) => cookie.split(";")[0])
        .join("; ");
      const page = await fetch(new URL(res.headers.get("location")!, t.url), {
        headers: { Cookie: `_porthole_session=${session.cookieValue}; ${flash}` },
      });
      expect(await page.text()).toContain("permission to run a job on protected branch &#39;main&#39;");
    }
    expect(jobCount()).toBe(before);
  });

  test("cannot use a trigger token whose owner is now only a Developer", async () => {
    const trigger = await json<{ token: string }>(
      api(`/projects/${project.id}/triggers`, maintainer.token, { description: "deploys" }),
    );
    const members = `/projects/${project.id}/members/${maintainer.id}`;
    await json(t.api(members, { method: "PUT", json: { access_level: 30 } }));
    try {
      const before = pipelineCount();
      const res = await fetch(`${t.url}/api/v4/projects/${project.id}/trigger/pipeline`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ token: trigger.token, ref: "main" }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ message: { base: [REFUSAL] } });
      expect(pipelineCount()).toBe(before);
    } finally {
      await json(t.api(members, { method: "PUT", json: { access_level: 40 } }));
    }
  });

  test("may still run pipelines on an unprotected branch, where protected variables stay hidden", async () => {
    const p = await json<{ id: number; user: { username: string } }>(
      api(`/projects/${project.id}/pipeline`, developer.token, { ref: "feature" }),
    );
    expect(p.user.username).toBe("dev");
    const [show] = await json<{ id: number }[]>(t.api(`/projects/${project.id}/pipelines/${p.id}/jobs`));
    await waitFor("the Developer's job to finish", async () => {
      const job = await json<{ status: string }>(t.api(`/projects/${project.id}/jobs/${show!.id}`));
      return job.status === "success";
    });
    const trace = await (await t.api(`/projects/${project.id}/jobs/${show!.id}/trace`)).text();
    expect(trace).toContain("protected=absent");
    const row = t.porthole.store.db.select().from(jobs).where(eq(jobs.id, show!.id)).get();
    expect(row?.userId).toBe(developer.id);
  });

  test("a Maintainer may create, retry and play on main", async () => {
    expect((await api(`/projects/${project.id}/jobs/${mainPipeline.show}/retry`, maintainer.token)).status).toBe(201);
    expect((await api(`/projects/${project.id}/jobs/${mainPipeline.ship}/play`, maintainer.token)).status).toBe(200);
    expect((await api(`/projects/${project.id}/pipeline?ref=main`, maintainer.token)).status).toBe(201);
  });
});
