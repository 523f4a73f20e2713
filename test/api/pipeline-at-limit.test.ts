// Creating a pipeline at the job limit through the API on a real server and database file: all its jobs are stored at
// once, in the file's order, with their first statuses; a failure while storing them leaves no pipeline behind.
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

const JOBS = 1000;
const STAGES = ["build", "test", "deploy"];
const names = Array.from({ length: JOBS }, (_, i) => `job-${i}`);
/** Job i is in stage i % 3; every tenth is manual. */
const ciConfig = `stages: [${STAGES.join(", ")}]\n${names
  .map((name, i) => `${name}:\n  stage: ${STAGES[i % 3]}\n  script: [echo]\n${i % 10 === 0 ? "  when: manual\n" : ""}`)
  .join("")}`;

interface Job {
  id: number;
  name: string;
  stage: string;
  status: string;
}

let t: TestPorthole;
beforeAll(async () => {
  t = await startTestPorthole({ runner: { enabled: false } });
});
afterAll(() => t?.stop());

async function project(name: string): Promise<number> {
  const res = await t.api("/projects", { method: "POST", json: { name, ci_config: ciConfig } });
  return ((await res.json()) as { id: number }).id;
}

/** Every job of the pipeline through the jobs API, page by page (100 a page), and the total it reports. */
async function allJobs(projectId: number, pipelineId: number): Promise<{ jobs: Job[]; total: string | null }> {
  const jobs: Job[] = [];
  let total: string | null = null;
  for (let page = 1; page <= JOBS / 100; page++) {
    const res = await t.api(`/projects/${projectId}/pipelines/${pipelineId}/jobs?per_page=100&page=${page}`);
    total = res.headers.get("x-total");
    jobs.push(...((await res.json()) as Job[]));
  }
  return { jobs, total };
}

test("a 1000-job pipeline is stored whole: every job, in stage then file order, with its first status", async () => {
  const id = await project("at-limit");
  const res = await t.api(`/projects/${id}/pipeline`, { method: "POST", json: { ref: "main" } });
  expect(res.status).toBe(201);
  const pipeline = (await res.json()) as { id: number; status: string };
  expect(pipeline.status).toBe("pending");
  const { jobs, total } = await allJobs(id, pipeline.id);
  expect(total).toBe(String(JOBS));
  const expected = STAGES.flatMap((_, s) => names.filter((_, i) => i % 3 === s));
  expect(jobs.map((j) => j.name)).toEqual(expected);
  expect(jobs.map((j) => j.id)).toEqual(jobs.map((j) => j.id).sort((a, b) => a - b));
  const statusOf = (name: string, stage: string) => {
    const i = Number(name.slice(4));
    if (stage !== "build") return "created";
    return i % 10 === 0 ? "manual" : "pending";
  };
  expect(jobs.map((j) => j.status)).toEqual(jobs.map((j) => statusOf(j.name, j.stage)));
});

test("a failure while its jobs are stored leaves no pipeline and no job, and spends no pipeline number", async () => {
  const id = await project("at-limit-fails");
  // A real failure inside the database: the last job's insert is refused, after 999 others went in.
  const db = new Database(join(t.dataDir, "porthole.db"));
  db.run(`CREATE TRIGGER refuse_last BEFORE INSERT ON jobs WHEN NEW.name = 'job-${JOBS - 1}'
    BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
  try {
    const refused = await t.api(`/projects/${id}/pipeline`, { method: "POST", json: { ref: "main" } });
    expect(refused.status).toBeGreaterThanOrEqual(500);
    expect(await (await t.api(`/projects/${id}/pipelines`)).json()).toEqual([]);
    expect(await (await t.api(`/projects/${id}/jobs`)).json()).toEqual([]);
  } finally {
    db.run("DROP TRIGGER refuse_last");
    db.close();
  }
  const created = await t.api(`/projects/${id}/pipeline`, { method: "POST", json: { ref: "main" } });
  expect(created.status).toBe(201);
  const pipeline = (await created.json()) as { id: number; iid: number };
  expect(pipeline.iid).toBe(1);
  expect((await allJobs(id, pipeline.id)).total).toBe(String(JOBS));
});
