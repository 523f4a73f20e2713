// The Schedules page and the Push events settings: make, edit and play a schedule from forms; a bad cron is shown
// beside its field; the webhook secret is shown once; a Developer cannot edit the Owner's schedule.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { ROLES } from "../../../auth/permissions.ts";
import type { ProjectRow } from "../../../store/rows.ts";
import { fieldError, makeUiHarness, type UiHarness, type Visitor } from "../ui-harness.testing.ts";

let h: UiHarness;
let root: Visitor;
let project: ProjectRow;
beforeEach(async () => {
  h = await makeUiHarness();
  root = await h.visitor("root", { admin: true });
  project = h.project(root.user!);
});
afterEach(() => h.close());

const ALL = { perPage: 100, offset: 0 };
/** The project's schedules, as stored. */
const schedules = () => h.store.repos.pipelineSchedules.pageOfProject(project.id, undefined, ALL).rows;

const base = () => `/${project.namespace}/${project.path}/-/pipeline_schedules`;
const form = { description: "nightly", ref: "main", cron: "0 3 * * *", cron_timezone: "Europe/Berlin", active: "1" };

test("a schedule is made, edited and played from the pages", async () => {
  const made = await h.post(base(), { ...form, variables: "NIGHTLY=1\nMODE=full" }, root);
  expect(made.status).toBe(303);
  const [schedule] = schedules();
  expect(schedule).toMatchObject({ description: "nightly", cronTimezone: "Europe/Berlin", active: true });
  expect(h.store.repos.pipelineSchedules.variablesOf(schedule!.id).map((v) => `${v.key}=${v.value}`)).toEqual([
    "NIGHTLY=1",
    "MODE=full",
  ]);
  const list = await (await h.get(base(), root)).text();
  expect(list).toContain("nightly");
  expect(list).toContain("Europe/Berlin");

  const edited = await h.post(
    `${base()}/${schedule!.id}`,
    { ...form, description: "weekly", active: "0", variables: "" },
    root,
  );
  expect(edited.status).toBe(303);
  expect(schedules()[0]).toMatchObject({ description: "weekly", active: false });
  expect(h.store.repos.pipelineSchedules.variablesOf(schedule!.id)).toEqual([]);

  const played = await h.post(`${base()}/${schedule!.id}/play`, {}, root);
  expect(played.status).toBe(303);
  const [run] = h.store.repos.pipelineSchedules.pageOfPipelines(schedule!.id, ALL).rows;
  expect(run).toMatchObject({ source: "schedule", ref: "main" });
});

test("a bad cron, timezone or variable line is shown beside its field and nothing is stored", async () => {
  for (const [change, field] of [
    [{ cron: "every day" }, "cron"],
    [{ cron_timezone: "Moon/Base" }, "cron_timezone"],
    [{ variables: "not a variable" }, "variables"],
  ] as const) {
    const res = await h.post(base(), { ...form, ...change }, root);
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), field)).toBeTruthy();
  }
  expect(schedules()).toEqual([]);
});

test("a Developer may play but not edit the Owner's schedule", async () => {
  await h.post(base(), form, root);
  const id = schedules()[0]!.id;
  const dev = await h.visitor("dev");
  h.member(project, dev.user!, ROLES.developer);
  expect((await h.get(`${base()}/${id}/edit`, dev)).status).toBe(403);
  expect((await h.post(`${base()}/${id}`, { ...form, description: "mine" }, dev)).status).toBe(403);
  expect((await h.post(`${base()}/${id}/delete`, {}, dev)).status).toBe(403);
});

test("Push events: the webhook secret is shown once, then only that it exists", async () => {
  const mirrored = h.project(root.user!, { name: "mirrored", import_url: "/tmp/nowhere", ci_config: null });
  const settings = `/${mirrored.namespace}/${mirrored.path}/-/settings/ci_cd`;
  const made = await h.post(`${settings}/webhook`, {}, root);
  expect(made.status).toBe(201);
  const secret = h.store.repos.webhooks.findSecret(mirrored.id)!.secret;
  expect(await made.text()).toContain(secret);
  const later = await (await h.get(settings, root)).text();
  expect(later).toContain(`/api/v4/projects/${mirrored.id}/hooks/push`);
  expect(later).not.toContain(secret);
  const poll = await h.post(`${settings}/webhook/poll`, { mirror_poll_interval: "5" }, root);
  expect(poll.status).toBe(422);
  expect(fieldError(await poll.text(), "mirror_poll_interval")).toContain("between 10 and 86400");
});
