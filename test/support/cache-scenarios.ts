// The cache and auto-cancel acceptance scenarios, run against a served porthole on each executor.
import { expect } from "bun:test";
import { makeRepo } from "./git-repo.ts";
import type { TestPorthole } from "./porthole.ts";
import { waitFor } from "./wait.ts";

type Job = { id: number; name: string; status: string };
const FINAL = ["success", "failed", "canceled", "skipped"];

async function newProject(t: TestPorthole, name: string, files: Record<string, string>) {
  const repo = makeRepo(files);
  const res = await t.api("/projects", { method: "POST", json: { name, import_url: repo.dir } });
  expect(res.status).toBe(201);
  return { repo, id: ((await res.json()) as { id: number }).id };
}

async function startPipeline(t: TestPorthole, projectId: number): Promise<number> {
  const res = await t.api(`/projects/${projectId}/pipeline`, { method: "POST", json: { ref: "main" } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

const jobsOf = async (t: TestPorthole, projectId: number, pipelineId: number) =>
  (await (await t.api(`/projects/${projectId}/pipelines/${pipelineId}/jobs`)).json()) as Job[];

/** Runs a pipeline to its end and returns the status and log of its job `name` (the first job by default). */
async function runPipeline(t: TestPorthole, projectId: number, name?: string) {
  const pipelineId = await startPipeline(t, projectId);
  const jobs = await waitFor(
    `pipeline ${pipelineId} to finish`,
    async () => {
      const list = await jobsOf(t, projectId, pipelineId);
      return list.every((j) => FINAL.includes(j.status)) && list;
    },
    90_000,
  );
  const logOf = async (job: Job) =>
    (await (await t.api(`/projects/${projectId}/jobs/${job.id}/trace`)).text()).replace(/\x1b\[[0-9;]*[mK]/g, "");
  const job = jobs.find((j) => j.name === "install") ?? jobs[0]!;
  const other = name ? jobs.find((j) => j.name === name) : undefined;
  return {
    status: job.status,
    log: await logOf(job),
    other: other && { status: other.status, log: await logOf(other) },
  };
}

const CACHE_CI = (image: string) => `
default:
  ${image ? `image: ${image}` : ""}
install:
  cache:
    key: {files: [deps.lock], prefix: deps}
    paths: [vendor/]
  script:
    - if [ -f vendor/installed ]; then echo "HIT $(cat vendor/installed)"; else echo "MISS"; fi
    - mkdir -p vendor && cp deps.lock vendor/installed
build:
  cache: {key: build-output, untracked: true}
  script:
    - if [ -f build.out ]; then echo "UNTRACKED $(cat build.out)"; fi
    - echo "from $CI_PIPELINE_ID" > build.out
`;

/**
 * A cache keyed on a lock file: missed in the first pipeline, restored in the second, missed again once the lock
 * file changes; an `untracked` cache brings back a file git does not track. `image` for the Docker executor.
 */
export async function lockFileCacheScenario(t: TestPorthole, image = ""): Promise<void> {
  const { repo, id } = await newProject(t, `cache-${crypto.randomUUID().slice(0, 8)}`, {
    ".gitlab-ci.yml": CACHE_CI(image),
    "deps.lock": "lock v1\n",
  });
  const first = await runPipeline(t, id);
  expect(first.status).toBe("success");
  expect(first.log).toContain("\nMISS\n");
  const key = /Checking cache for (deps-[0-9a-f]{40}-(?:non_)?protected)\.\.\./.exec(first.log)?.[1];
  expect(key).toBeDefined();
  expect(first.log).toContain(`Creating cache ${key}...`);
  expect(first.log).toContain("Created cache");

  const second = await runPipeline(t, id, "build");
  expect(second.status).toBe("success");
  expect(second.log).toContain(`Checking cache for ${key}...`);
  expect(second.log).toContain("Successfully extracted cache");
  expect(second.log).toContain("\nHIT lock v1\n");
  expect(second.other?.status).toBe("success");
  expect(second.other?.log).toContain("untracked: found 1 files");
  expect(second.other?.log).toMatch(/\nUNTRACKED from \d+\n/);

  repo.commit({ "deps.lock": "lock v2\n" });
  const third = await runPipeline(t, id);
  expect(third.status).toBe("success");
  expect(third.log).not.toContain(`Checking cache for ${key}...`);
  expect(third.log).toContain("\nMISS\n");

  // "Clear runner caches": every key gets the new index, so nothing saved before is found.
  const cleared = await t.api(`/projects/${id}/reset_cache`, { method: "POST" });
  expect(cleared.status).toBe(200);
  expect(await cleared.json()).toEqual({ jobs_cache_index: 1 });
  const fourth = await runPipeline(t, id);
  expect(fourth.log).toMatch(/Checking cache for deps-[0-9a-f]{40}-1-(?:non_)?protected\.\.\./);
  expect(fourth.log).toContain("\nMISS\n");
}

const SLOW_CI = (image: string, marker: string) => `
slow:
  ${image ? `image: ${image}` : ""}
  interruptible: true
  script: [echo "started ${marker}", sleep 300]
`;

/** A new commit's pipeline cancels the older pipeline's running interruptible job. */
export async function autoCancelScenario(t: TestPorthole, image = ""): Promise<void> {
  const { repo, id } = await newProject(t, `autocancel-${crypto.randomUUID().slice(0, 8)}`, {
    ".gitlab-ci.yml": SLOW_CI(image, "one"),
  });
  const older = await startPipeline(t, id);
  const [running] = await waitFor(
    "the older pipeline's job to run",
    async () => {
      const jobs = await jobsOf(t, id, older);
      return jobs[0]?.status === "running" && jobs;
    },
    60_000,
  );
  await waitFor(
    "the job's script to start",
    async () => (await (await t.api(`/projects/${id}/jobs/${running!.id}/trace`)).text()).includes("started one"),
    60_000,
  );
  repo.commit({ ".gitlab-ci.yml": SLOW_CI(image, "two") });
  const newer = await startPipeline(t, id);
  const canceled = await waitFor(
    "the older job to be canceled",
    async () => {
      const [job] = await jobsOf(t, id, older);
      return job?.status === "canceled" && job;
    },
    30_000,
  );
  expect(canceled.id).toBe(running!.id);
  const pipeline = (await (await t.api(`/projects/${id}/pipelines/${older}`)).json()) as { status: string };
  expect(pipeline.status).toBe("canceled");
  await t.api(`/projects/${id}/pipelines/${newer}/cancel`, { method: "POST" });
}

/**
 * A job leaves a process that keeps swapping a cached folder for a link to a host folder holding a secret: the
 * runner must not read through the link while it saves the cache (it ends the job's environment first).
 */
export async function backgroundSwapScenario(t: TestPorthole, image: string, outside: string): Promise<void> {
  const swapper = `while :; do rm -rf vendor/d; ln -s ${outside} vendor/d; rm -f vendor/d; mkdir vendor/d; echo job > vendor/d/f; done`;
  const ci = `
swap:
  image: ${image}
  cache: {key: swap, paths: [vendor/]}
  script:
    - if [ -d vendor ]; then cat vendor/d/f; ls -la vendor; exit 0; fi
    - mkdir -p vendor/d && echo job > vendor/d/f
    - (${swapper}) >/dev/null 2>&1 &
    - sleep 1
`;
  const { id } = await newProject(t, `swap-${crypto.randomUUID().slice(0, 8)}`, { ".gitlab-ci.yml": ci });
  const saved = await runPipeline(t, id, "swap");
  expect(saved.other?.status).toBe("success");
  expect(saved.other?.log).toContain("Created cache");
  const restored = await runPipeline(t, id, "swap");
  expect(restored.other?.log).toContain("Successfully extracted cache");
  expect(restored.other?.log).not.toContain("server secret");
}

/** A keyword accepted but not acted on is a warning in the lint result and in the job's log. */
export async function acceptedNotActedOnScenario(t: TestPorthole): Promise<void> {
  const ci =
    "variables:\n  DEPLOY_TO: {value: staging, description: Where to deploy}\nshow:\n  script: [echo $DEPLOY_TO]\n";
  const { id } = await newProject(t, `keywords-${crypto.randomUUID().slice(0, 8)}`, { ".gitlab-ci.yml": ci });
  const warning =
    "variables:DEPLOY_TO:description is accepted but not acted on (the Run pipeline form does not prefill variables)";
  const lint = await t.api(`/projects/${id}/ci/lint`, { method: "POST", json: { content: ci } });
  expect(((await lint.json()) as { valid: boolean; warnings: string[] }).warnings).toEqual([warning]);
  const run = await runPipeline(t, id);
  expect(run.status).toBe("success");
  expect(run.log).toContain(`WARNING: ${warning}\n`);
}
