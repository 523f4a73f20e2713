// End to end through the server with `executor = "docker"`: a pipeline's jobs run in containers with services.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { hostname } from "node:os";
import { docker, noDocker, ofJob } from "../support/docker-engine.ts";
import { makeRepo } from "../support/git-repo.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { waitFor } from "../support/wait.ts";

const marker = crypto.randomUUID();
const CI = `
variables:
  E2E_MARKER: "${marker}"
in-container:
  image: porthole-test/busybox
  services:
    - name: porthole-test/httpd
      alias: web
  script:
    - echo "host=$(hostname)"
    - cat README.md
    - wget -qO- http://web/
missing-image:
  image: porthole-test/nope:1
  script: [echo never]
sleeper:
  script: [echo sleeping, sleep 300]
`;

type Job = { id: number; name: string; status: string; failure_reason?: string };
let t: TestPorthole;
let projectId: number;
let jobs: Record<string, Job>;

/** This test's containers (by the marker variable) and networks of a job, whatever server made them. */
async function leftovers(jobId: number) {
  const byJob = ofJob(t.dataDir, jobId);
  const containers = await docker!.listContainers({ all: true, ...byJob });
  const ours = await Promise.all(
    containers.map(async (c) => {
      const info = await docker!
        .getContainer(c.Id)
        .inspect()
        .catch(() => undefined);
      return info?.Config.Env.includes(`E2E_MARKER=${marker}`) ? c.Names[0] : undefined;
    }),
  );
  const networks = (await docker!.listNetworks(byJob)).filter((n) => n.Created && Date.parse(n.Created) >= startedAt);
  return [...ours.filter(Boolean), ...networks.map((n) => n.Name)];
}
const startedAt = Date.now() - 1000;

const job = async (name: string) =>
  (await (await t.api(`/projects/${projectId}/jobs/${jobs[name]!.id}`)).json()) as Job;
const trace = async (name: string) => (await t.api(`/projects/${projectId}/jobs/${jobs[name]!.id}/trace`)).text();
const finished = (name: string, timeoutMs = 60_000) =>
  waitFor(
    `job ${name} to finish`,
    async () => {
      const j = await job(name);
      return ["success", "failed", "canceled"].includes(j.status) && j;
    },
    timeoutMs,
  );

describe.skipIf(noDocker)("a pipeline on the Docker executor", () => {
  beforeAll(async () => {
    t = await startTestPorthole({
      runner: { executor: "docker", concurrent: 3 },
      docker: { default_image: "porthole-test/busybox" },
    });
    const repo = makeRepo({ ".gitlab-ci.yml": CI, "README.md": "hello from git\n" });
    const res = await t.api("/projects", { method: "POST", json: { name: "docker-e2e", import_url: repo.dir } });
    projectId = ((await res.json()) as { id: number }).id;
    const pipeline = (await (
      await t.api(`/projects/${projectId}/pipeline`, { method: "POST", json: { ref: "main" } })
    ).json()) as { id: number };
    const list = (await (await t.api(`/projects/${projectId}/pipelines/${pipeline.id}/jobs`)).json()) as Job[];
    jobs = Object.fromEntries(list.map((j) => [j.name, j]));
  });
  afterAll(() => t?.stop());

  test("a job runs in its image with a service reachable by alias; nothing of it remains", async () => {
    expect((await finished("in-container")).status).toBe("success");
    const log = await trace("in-container");
    expect(log).toContain("Using Docker executor with image porthole-test/busybox ...");
    expect(log).toContain("Starting service porthole-test/httpd ...");
    expect(log).toContain("hello from git");
    expect(log).toContain("porthole service ok");
    const host = /host=(\S+)/.exec(log)?.[1];
    expect(host).toBeDefined();
    expect(host).not.toBe(hostname());
    expect(
      await waitFor(
        "the job's containers and network to go",
        async () => (await leftovers(jobs["in-container"]!.id)).length === 0,
        10_000,
      ),
    ).toBe(true);
  }, 90_000);

  test("a missing image fails the job with image_pull_failure and says why", async () => {
    const done = await finished("missing-image");
    expect(done.status).toBe("failed");
    expect(done.failure_reason).toBe("image_pull_failure");
    expect(await trace("missing-image")).toContain('ERROR: Job failed: failed to pull image "porthole-test/nope:1"');
  }, 90_000);

  test("cancel removes the job's container", async () => {
    await waitFor("the sleeper to start", async () => (await trace("sleeper")).includes("sleeping"), 60_000);
    expect(await leftovers(jobs.sleeper!.id)).toHaveLength(1);
    const res = await t.api(`/projects/${projectId}/jobs/${jobs.sleeper!.id}/cancel`, { method: "POST" });
    expect(res.status).toBe(201);
    await waitFor(
      "the sleeper's container to go",
      async () => (await leftovers(jobs.sleeper!.id)).length === 0,
      20_000,
    );
    expect((await job("sleeper")).status).toBe("canceled");
  }, 90_000);
});
