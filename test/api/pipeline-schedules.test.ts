// Pipeline schedules on a shifted clock: one due in two seconds runs once as its owner with its variables and
// CI_PIPELINE_SOURCE=schedule; an inactive one never runs; one whose owner lost access fails with an audit entry.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { ROLES } from "../../src/auth/permissions.ts";
import type { ProjectRow } from "../../src/store/rows.ts";
import { auditEvents, members, pipelines } from "../../src/store/schema.ts";
import { makeHarness } from "../support/api-harness.ts";
import { waitFor } from "../support/wait.ts";

// The clock the schedules run by is set to two seconds before a full minute just before the due schedule is made
// (set at load time, a slow start under a loaded machine had already passed that minute).
let offset = 0;
const virtualNow = () => Date.now() + offset;
/** Shifts the virtual clock to two seconds before its next full minute; gives that minute. */
function twoSecondsBeforeAMinute(): number {
  const nextMinute = Math.ceil((virtualNow() + 60_000) / 60_000) * 60_000;
  offset += nextMinute - 2_000 - virtualNow();
  return nextMinute;
}

let h: Awaited<ReturnType<typeof makeHarness>>;
let project: ProjectRow;

beforeAll(async () => {
  h = await makeHarness({ now: virtualNow });
  project = h.project(h.root.user, { ci_config: "job:\n  script: [echo $CI_PIPELINE_SOURCE]\n" });
});
afterAll(() => h.close());

async function makeSchedule(token: string, body: Record<string, unknown>) {
  const res = await h.request(`/projects/${project.id}/pipeline_schedules`, { token, json: body });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number; next_run_at: string | null; owner: { id: number } };
}

const scheduled = (scheduleId: number) =>
  h.db
    .select()
    .from(pipelines)
    .where(and(eq(pipelines.projectId, project.id), eq(pipelines.scheduleId, scheduleId)))
    .all();

describe("pipeline schedules", () => {
  test("a schedule due in two seconds runs once; an inactive one and one whose owner left do not", async () => {
    const dev = await h.user(`dev${Date.now()}`);
    h.member(project, dev.user, ROLES.developer);
    const nextMinute = twoSecondsBeforeAMinute();
    const due = await makeSchedule(h.root.token, { description: "every minute", ref: "main", cron: "* * * * *" });
    expect(due.next_run_at).toBe(new Date(nextMinute).toISOString());
    const vars = await h.request(`/projects/${project.id}/pipeline_schedules/${due.id}/variables`, {
      json: { key: "NIGHTLY", value: "yes" },
    });
    expect(vars.status).toBe(201);
    const off = await makeSchedule(h.root.token, {
      description: "off",
      ref: "main",
      cron: "* * * * *",
      active: false,
    });
    const orphan = await makeSchedule(dev.token, { description: "dev's", ref: "feature", cron: "* * * * *" });
    expect(orphan.owner.id).toBe(dev.user.id);
    h.db
      .delete(members)
      .where(and(eq(members.projectId, project.id), eq(members.userId, dev.user.id)))
      .run();

    const [run] = await waitFor(
      "the due schedule's pipeline",
      async () => {
        const rows = scheduled(due.id);
        return rows.length > 0 ? rows : null;
      },
      10_000,
    );
    expect(run).toMatchObject({ source: "schedule", ref: "main", userId: h.root.user.id });
    expect(run!.variables).toEqual([{ key: "NIGHTLY", value: "yes" }]);
    // Two more seconds of the same minute: still once.
    await Bun.sleep(2_000);
    expect(scheduled(due.id)).toHaveLength(1);
    expect(scheduled(off.id)).toHaveLength(0);
    expect(scheduled(orphan.id)).toHaveLength(0);
    const failed = h.db.select().from(auditEvents).where(eq(auditEvents.action, "pipeline_schedule_failed")).all();
    expect(failed.map((e) => e.targetId)).toEqual([String(orphan.id)]);
    expect(JSON.stringify(failed[0]!.details)).toContain("may no longer run pipelines in this project");

    const shown = (await (await h.request(`/projects/${project.id}/pipeline_schedules/${due.id}`)).json()) as {
      last_pipeline: { id: number };
      next_run_at: string;
      variables: unknown[];
    };
    expect(shown.last_pipeline.id).toBe(run!.id);
    expect(shown.next_run_at).toBe(new Date(nextMinute + 60_000).toISOString());
    expect(shown.variables).toEqual([{ key: "NIGHTLY", variable_type: "env_var", value: "yes", raw: false }]);
  }, 20_000);

  test("play runs it now as the caller; take_ownership needs a Maintainer", async () => {
    const s = await makeSchedule(h.root.token, {
      description: "nightly",
      ref: "main",
      cron: "0 3 * * *",
      cron_timezone: "Europe/Berlin",
    });
    const played = await h.request(`/projects/${project.id}/pipeline_schedules/${s.id}/play`, { method: "POST" });
    expect(played.status).toBe(201);
    expect(scheduled(s.id)).toHaveLength(1);

    const dev = await h.user(`d${Date.now()}`);
    h.member(project, dev.user, ROLES.developer);
    const path = `/projects/${project.id}/pipeline_schedules/${s.id}`;
    expect((await h.request(`${path}/take_ownership`, { method: "POST", token: dev.token })).status).toBe(403);
    expect((await h.request(path, { method: "PUT", token: dev.token, json: { active: false } })).status).toBe(403);
    const maint = await h.user(`m${Date.now()}`);
    h.member(project, maint.user, ROLES.maintainer);
    const took = await h.request(`${path}/take_ownership`, { method: "POST", token: maint.token });
    expect(took.status).toBe(201);
    expect(((await took.json()) as { owner: { id: number } }).owner.id).toBe(maint.user.id);
  });

  test("a bad cron or timezone is a 400 naming the field, and nothing is stored", async () => {
    for (const [body, field] of [
      [{ cron: "61 * * * *" }, "cron"],
      [{ cron: "* * * * * *" }, "cron"],
      [{ cron: "* * * * *", cron_timezone: "Mars/Olympus" }, "cron_timezone"],
    ] as const) {
      const res = await h.request(`/projects/${project.id}/pipeline_schedules`, {
        json: { description: "bad", ref: "main", ...body },
      });
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toContain(field);
    }
    const list = (await (await h.request(`/projects/${project.id}/pipeline_schedules?per_page=100`)).json()) as {
      description: string;
    }[];
    expect(list.map((s) => s.description)).not.toContain("bad");
  });
});
