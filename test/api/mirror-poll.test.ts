// Mirror polling: a project with `mirror_poll_interval` is fetched on that interval (on a shifted clock) and each
// branch the fetch moved starts one push pipeline; without an interval nothing is fetched.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { pipelines } from "../../src/store/schema.ts";
import { makeHarness } from "../support/api-harness.ts";
import { makeRepo } from "../support/git-repo.ts";
import { waitFor } from "../support/wait.ts";

let shift = 0;
let h: Awaited<ReturnType<typeof makeHarness>>;
const repo = makeRepo({ ".gitlab-ci.yml": "job:\n  script: [echo]\n" });

beforeAll(async () => {
  h = await makeHarness({ now: () => Date.now() + shift });
});
afterAll(() => h.close());

const pipelinesOf = (projectId: number) =>
  h.db.select().from(pipelines).where(eq(pipelines.projectId, projectId)).all();

test("a polled mirror starts a pipeline for each moved branch; an unpolled one and an out-of-range interval do not", async () => {
  const made = await h.request("/projects", {
    json: { name: "polled", import_url: repo.dir, mirror_poll_interval: 30 },
  });
  expect(made.status).toBe(201);
  const polled = (await made.json()) as { id: number; mirror_poll_interval: number };
  expect(polled.mirror_poll_interval).toBe(30);
  const quiet = (await (await h.request("/projects", { json: { name: "quiet", import_url: repo.dir } })).json()) as {
    id: number;
  };
  const bad = await h.request("/projects", { json: { name: "bad", import_url: repo.dir, mirror_poll_interval: 1 } });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(await bad.json())).toContain("mirror_poll_interval");

  // The first poll only makes the mirror.
  shift += 31_000;
  await Bun.sleep(2_500);
  expect(pipelinesOf(polled.id)).toEqual([]);

  const sha = repo.commit({ "a.txt": "1" }, "moved");
  shift += 31_000;
  const [pipeline] = await waitFor("the polled pipeline", async () => {
    const rows = pipelinesOf(polled.id);
    return rows.length > 0 ? rows : null;
  });
  expect(pipeline).toMatchObject({ sha, ref: "main", source: "push" });
  shift += 31_000;
  await Bun.sleep(2_500);
  expect(pipelinesOf(polled.id)).toHaveLength(1);
  expect(pipelinesOf(quiet.id)).toEqual([]);
}, 30_000);
