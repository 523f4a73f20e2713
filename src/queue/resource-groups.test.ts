// Resource groups in the queue: one holder per project and key, and each process mode's choice of the next job
// (GitLab's: `oldest_first` waits for the oldest pipeline's job even while it is not ready yet).
import { describe, expect, test } from "bun:test";
import { planJob } from "../pipeline/pipeline.testing.ts";
import type { PlanJob } from "../pipeline/types.ts";
import { insertTestJobs, insertTestPipeline, testJobRow } from "../store/store.testing.ts";
import { queueContextOf, queueWithProject } from "./queue.testing.ts";
import { advancePipeline } from "./scheduler.ts";

function world() {
  const made = queueWithProject();
  const q = queueContextOf(made);
  const pipeline = (specs: PlanJob[]) => {
    const row = insertTestPipeline(made.store.repos, made.project.id, {
      userId: made.user.id,
      iid: Math.random() * 1e9,
    });
    insertTestJobs(
      made.store.db,
      specs.map((spec) => testJobRow(row, spec, made.user.id)),
    );
    advancePipeline(q, row.id);
    return row.id;
  };
  /** Status of job `name` in pipeline `id`, after the watcher's deferred assignment ran. */
  const status = async (id: number, name: string) => {
    await Bun.sleep(0);
    return made.store.repos.jobs.currentOfPipeline(id).find((j) => j.name === name)!.status;
  };
  const finish = (id: number, name: string) => {
    const job = made.store.repos.jobs.currentOfPipeline(id).find((j) => j.name === name)!;
    made.store.repos.jobs.update(job.id, { status: "running" });
    made.store.repos.jobs.update(job.id, { status: "success" });
    q.events.jobChanged({ ...job, status: "success" });
    advancePipeline(q, id);
  };
  return { made, q, pipeline, status, finish };
}

const deploy = (stage: number) => planJob("deploy", stage, { resourceGroup: "production" });

describe("resource groups", () => {
  test("unordered: the job that waits gets the free resource; the next waits until it finishes", async () => {
    const w = world();
    const a = w.pipeline([deploy(0)]);
    const b = w.pipeline([deploy(0)]);
    expect(await w.status(a, "deploy")).toBe("pending");
    expect(await w.status(b, "deploy")).toBe("waiting_for_resource");
    w.finish(a, "deploy");
    expect(await w.status(b, "deploy")).toBe("pending");
  });

  test("oldest_first: an older pipeline's job not ready yet keeps the resource from a newer one's", async () => {
    const w = world();
    w.made.store.repos.resourceGroups.setProcessMode(
      w.made.store.repos.resourceGroups.findOrCreate(w.made.project.id, "production").id,
      "oldest_first",
    );
    const a = w.pipeline([planJob("build", 0), deploy(1)]);
    const b = w.pipeline([deploy(0)]);
    expect(await w.status(a, "deploy")).toBe("created");
    expect(await w.status(b, "deploy")).toBe("waiting_for_resource");
    w.finish(a, "build");
    expect(await w.status(a, "deploy")).toBe("pending");
    expect(await w.status(b, "deploy")).toBe("waiting_for_resource");
    w.finish(a, "deploy");
    expect(await w.status(b, "deploy")).toBe("pending");
  });

  test("unordered does not wait for a job that is not ready: the newer pipeline's deploys first", async () => {
    const w = world();
    const a = w.pipeline([planJob("build", 0), deploy(1)]);
    const b = w.pipeline([deploy(0)]);
    expect(await w.status(b, "deploy")).toBe("pending");
    w.finish(a, "build");
    expect(await w.status(a, "deploy")).toBe("waiting_for_resource");
  });

  test("a waiting job counts as unfinished: the pipeline waits, later stages stay created, cancel frees it", async () => {
    const w = world();
    w.pipeline([deploy(0)]);
    const b = w.pipeline([deploy(0), planJob("after", 1)]);
    expect(await w.status(b, "deploy")).toBe("waiting_for_resource");
    expect(await w.status(b, "after")).toBe("created");
    expect(w.made.store.repos.pipelines.findById(b)!.status).toBe("waiting_for_resource");
    w.made.queue.service.cancelPipeline(b);
    expect(await w.status(b, "deploy")).toBe("canceled");
  });
});
