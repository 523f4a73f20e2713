// Issue 10 item 4: an ordinary user's huge pipeline. More than limits.max_jobs_per_pipeline jobs is refused at lint
// and at create; the largest allowed pipeline keeps a small page and cancels and deletes in one request each, with
// its jobs on the real runner, while the server goes on answering.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { jobs, pipelines } from "../../src/store/schema.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { json, userWithRole } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

/** A CI file of `n` plain jobs that sleep (the runner starts a few of them). */
const manyJobs = (n: number) =>
  `stages: [one, two]\n${Array.from({ length: n }, (_, i) => `job-${i}:\n  stage: ${i % 2 ? "two" : "one"}\n  script: [sleep 60]\n`).join("")}`;
/** Well above the page size of the jobs shown in full, well below the megabytes a full list takes. */
const MAX_PAGE_BYTES = 300 * 1024;

let t: TestPorthole;
let mallory: { id: number; token: string };
const as = (path: string, init: RequestInit & { json?: unknown } = {}) =>
  t.api(path, { method: "POST", ...init, token: mallory.token });

async function ownProject(name: string, ciConfig: string): Promise<{ id: number; path_with_namespace: string }> {
  return json(as("/projects", { json: { name, ci_config: ciConfig } }));
}

beforeAll(async () => {
  t = await startTestPorthole();
  mallory = await userWithRole(t, "mallory", 0);
});
afterAll(async () => {
  await t?.stop();
});

describe("a pipeline with more jobs than limits.max_jobs_per_pipeline", () => {
  test("20,000 plain jobs: CI lint says invalid and names both numbers", async () => {
    const p = await ownProject("lint-me", "one:\n  script: [echo hi]\n");
    const res = await as(`/projects/${p.id}/ci/lint`, { json: { content: manyJobs(20_000) } });
    expect(res.status).toBe(200);
    const lint = (await res.json()) as { valid: boolean; errors: string[] };
    expect(lint.valid).toBe(false);
    expect(lint.errors).toContain(
      "The pipeline has 20000 jobs, more than the limit of 1000 (limits.max_jobs_per_pipeline)",
    );
  });

  test("20,000 plain jobs: creating the pipeline is a 400 naming the numbers, and nothing is stored", async () => {
    const p = await ownProject("huge", manyJobs(20_000));
    const res = await as(`/projects/${p.id}/pipeline?ref=main`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      message: { base: ["The pipeline has 20000 jobs, more than the limit of 1000 (limits.max_jobs_per_pipeline)"] },
    });
    const db = t.porthole.store.db;
    expect(db.select().from(pipelines).where(eq(pipelines.projectId, p.id)).all()).toEqual([]);
    expect(db.select().from(jobs).where(eq(jobs.projectId, p.id)).all()).toEqual([]);
  });

  test("1,001 jobs are one too many; parallel instances count one each", async () => {
    const p = await ownProject("just-over", manyJobs(1001));
    const res = await as(`/projects/${p.id}/pipeline?ref=main`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("The pipeline has 1001 jobs, more than the limit of 1000");
    const lint = await json<{ valid: boolean; errors: string[] }>(
      as(`/projects/${p.id}/ci/lint`, { json: { content: "fan:\n  parallel: 200\n  script: [echo hi]\n" } }),
    );
    expect(lint.valid).toBe(true);
    const fans = Array.from({ length: 6 }, (_, i) => `fan-${i}:\n  parallel: 200\n  script: [echo hi]\n`).join("");
    const over = await json<{ valid: boolean; errors: string[] }>(
      as(`/projects/${p.id}/ci/lint`, { json: { content: fans } }),
    );
    expect(over.errors).toContain(
      "The pipeline has 1200 jobs, more than the limit of 1000 (limits.max_jobs_per_pipeline)",
    );
  });
});

describe("the largest allowed pipeline (1,000 jobs) on the real runner", () => {
  let project: { id: number; path_with_namespace: string };
  let pipeline: { id: number };

  beforeAll(async () => {
    project = await ownProject("biggest", manyJobs(1000));
    pipeline = await json(as(`/projects/${project.id}/pipeline?ref=main`));
    await waitFor("the runner to start some of its jobs", async () => {
      const running = await json<unknown[]>(
        t.api(`/projects/${project.id}/pipelines/${pipeline.id}/jobs?scope[]=running`, { token: mallory.token }),
      );
      return running.length > 0;
    });
  });

  test("its page stays small: a few boxes per stage and one page of the jobs table", async () => {
    const session = createWebSession(t.porthole.store.db, mallory.id, {});
    const res = await fetch(`${t.url}/${project.path_with_namespace}/-/pipelines/${pipeline.id}`, {
      headers: { Cookie: `_porthole_session=${session.cookieValue}` },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.length).toBeLessThan(MAX_PAGE_BYTES);
    expect(html).toContain("480 more jobs");
    expect(html).toContain('rel="next"');
  });

  test("cancel is one request that cancels every job, running ones included", async () => {
    const res = await as(`/projects/${project.id}/pipelines/${pipeline.id}/cancel`);
    expect(res.status).toBe(201);
    expect(((await res.json()) as { status: string }).status).toBe("canceled");
    const db = t.porthole.store.db;
    const statuses = db.select({ status: jobs.status }).from(jobs).where(eq(jobs.pipelineId, pipeline.id)).all();
    expect(statuses.length).toBe(1000);
    expect(new Set(statuses.map((s) => s.status))).toEqual(new Set(["canceled"]));
  });

  test("delete removes it with its jobs while other requests keep being answered", async () => {
    const [deleted, version, projectShown] = await Promise.all([
      t.api(`/projects/${project.id}/pipelines/${pipeline.id}`, { method: "DELETE", token: mallory.token }),
      t.api("/version", { token: mallory.token }),
      t.api(`/projects/${project.id}`, { token: mallory.token }),
    ]);
    expect([deleted.status, version.status, projectShown.status]).toEqual([204, 200, 200]);
    expect((await t.api(`/projects/${project.id}/pipelines/${pipeline.id}`, { token: mallory.token })).status).toBe(
      404,
    );
    const left = t.porthole.store.db.select().from(jobs).where(eq(jobs.pipelineId, pipeline.id)).all();
    expect(left).toEqual([]);
    // The runner lets go of the canceled jobs: the server can still run new work.
    const next = await ownProject("afterwards", "quick:\n  script: [echo still-serving]\n");
    const p = await json<{ id: number }>(as(`/projects/${next.id}/pipeline?ref=main`));
    await waitFor("a new pipeline to pass", async () => {
      const row = await json<{ status: string }>(t.api(`/projects/${next.id}/pipelines/${p.id}`));
      return row.status === "success";
    });
  });
});
