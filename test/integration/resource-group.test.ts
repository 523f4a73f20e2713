// `resource_group` with the embedded shell runner: two pipelines' deploy jobs never overlap (each writes its start
// and end times in its log), the second waits as `waiting_for_resource`, and `process_mode` orders the waiting jobs.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { waitFor } from "../support/wait.ts";
import { webSession } from "../support/web-session.ts";

let t: TestPorthole;
beforeAll(async () => {
  t = await startTestPorthole({ runner: { concurrent: 4 } });
});
afterAll(async () => {
  await t?.stop();
});

interface Job {
  id: number;
  name: string;
  status: string;
  pipeline: { id: number };
}

async function project(ciConfig: string): Promise<number> {
  const res = await t.api("/projects", {
    method: "POST",
    json: { name: `rg${crypto.randomUUID().slice(0, 8)}`, ci_config: ciConfig },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

async function runPipeline(projectId: number): Promise<number> {
  const res = await t.api(`/projects/${projectId}/pipeline?ref=main`, { method: "POST" });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

const jobsOf = async (projectId: number): Promise<Job[]> =>
  (await t.api(`/projects/${projectId}/jobs?per_page=100`)).json() as Promise<Job[]>;

/** The `START <ns>` and `END <ns>` stamps the job wrote in its log. */
async function stamps(projectId: number, jobId: number): Promise<{ start: bigint; end: bigint }> {
  const log = await (await t.api(`/projects/${projectId}/jobs/${jobId}/trace`)).text();
  const start = /^START (\d+)$/m.exec(log)?.[1];
  const end = /^END (\d+)$/m.exec(log)?.[1];
  if (!start || !end) throw new Error(`no stamps in the log of job ${jobId}:\n${log}`);
  return { start: BigInt(start), end: BigInt(end) };
}

const DEPLOY = `deploy:
  resource_group: production
  script:
    - echo "START $(date +%s%N)"
    - sleep 1.5
    - echo "END $(date +%s%N)"
`;

describe("resource_group", () => {
  test("two pipelines' deploy jobs never overlap; the second waits for the resource", async () => {
    const id = await project(DEPLOY);
    const first = await runPipeline(id);
    const second = await runPipeline(id);
    // While one runs, the other shows GitLab's status for a job waiting for its resource, in the API.
    const seen = await waitFor("one deploy running while the other waits", async () => {
      const jobs = await jobsOf(id);
      const statuses = jobs.map((j) => j.status).sort();
      return statuses.join(",") === "running,waiting_for_resource" ? jobs : null;
    });
    const waiting = seen.find((j) => j.status === "waiting_for_resource")!;
    expect(waiting.pipeline.id).toBe(second);
    // The job's page says so in the pages' words.
    const path = ((await (await t.api(`/projects/${id}`)).json()) as { path_with_namespace: string })
      .path_with_namespace;
    const root = t.porthole.store.repos.users.findByExactUsername("root")!;
    const page = await fetch(`${t.url}/${path}/-/jobs/${waiting.id}`, {
      headers: { Cookie: webSession(t, root.id).cookie },
    });
    const html = await page.text();
    expect(html).toContain("waiting for resource");
    expect(html).toContain('This job is waiting for resource: <span class="mono">production</span>');
    const pipeline = await (await t.api(`/projects/${id}/pipelines/${second}`)).json();
    expect((pipeline as { status: string }).status).toBe("waiting_for_resource");
    const done = await waitFor(
      "both deploys to succeed",
      async () => {
        const jobs = await jobsOf(id);
        return jobs.length === 2 && jobs.every((j) => j.status === "success") ? jobs : null;
      },
      30_000,
    );
    const [a, b] = await Promise.all([first, second].map((p) => stamps(id, done.find((j) => j.pipeline.id === p)!.id)));
    expect(a!.end).toBeLessThan(b!.start);
    const groups = await (await t.api(`/projects/${id}/resource_groups`)).json();
    expect(groups).toEqual([expect.objectContaining({ key: "production", process_mode: "unordered" })]);
  }, 60_000);

  test("jobs of different groups still run side by side", async () => {
    const id = await project(
      `${DEPLOY}other:\n  resource_group: staging\n  script:\n    - echo "START $(date +%s%N)"\n    - sleep 1.5\n    - echo "END $(date +%s%N)"\n`,
    );
    await runPipeline(id);
    const done = await waitFor(
      "both jobs to succeed",
      async () => {
        const jobs = await jobsOf(id);
        return jobs.length === 2 && jobs.every((j) => j.status === "success") ? jobs : null;
      },
      30_000,
    );
    const [a, b] = await Promise.all(done.map((j) => stamps(id, j.id)));
    expect(a!.start < b!.end && b!.start < a!.end).toBe(true);
  }, 60_000);

  test("process_mode newest_first gives the resource to the newest pipeline's waiting job (set by the API)", async () => {
    const id = await project(DEPLOY);
    const first = await runPipeline(id);
    await waitFor("the first deploy to run", async () => (await jobsOf(id)).some((j) => j.status === "running"));
    const edited = await t.api(`/projects/${id}/resource_groups/production`, {
      method: "PUT",
      json: { process_mode: "newest_first" },
    });
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as { process_mode: string }).process_mode).toBe("newest_first");
    const second = await runPipeline(id);
    const third = await runPipeline(id);
    const upcoming = (await (await t.api(`/projects/${id}/resource_groups/production/upcoming_jobs`)).json()) as Job[];
    expect(upcoming.map((j) => j.pipeline.id).sort()).toEqual([second, third].sort());
    const done = await waitFor(
      "three deploys to succeed",
      async () => {
        const jobs = await jobsOf(id);
        return jobs.length === 3 && jobs.every((j) => j.status === "success") ? jobs : null;
      },
      45_000,
    );
    const starts = await Promise.all(
      [first, second, third].map(async (p) => (await stamps(id, done.find((j) => j.pipeline.id === p)!.id)).start),
    );
    // first, then third (the newest), then second.
    expect(starts[0]! < starts[2]! && starts[2]! < starts[1]!).toBe(true);
    const bad = await t.api(`/projects/${id}/resource_groups/production`, {
      method: "PUT",
      json: { process_mode: "fastest" },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "process_mode does not have a valid value" });
  }, 90_000);
});
