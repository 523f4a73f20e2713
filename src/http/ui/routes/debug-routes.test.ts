// The pages' debugging parts: "Retry with terminal" sets the new try's breakpoint, bad input is a flash, a Reporter
// sees no form and is refused; the CI/CD settings save the Debug on failure default.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { ROLES } from "../../../auth/permissions.ts";
import type { ProjectRow } from "../../../store/rows.ts";
import { fieldError, makeUiHarness, type UiHarness, type Visitor } from "../ui-harness.testing.ts";

let h: UiHarness;
let alice: Visitor;
let project: ProjectRow;
let base: string;
beforeEach(async () => {
  h = await makeUiHarness();
  alice = await h.visitor("alice");
  project = h.project(alice.user!);
  base = `/alice/${project.path}`;
});
afterEach(() => h.close());

async function failedJob(): Promise<number> {
  const res = await h.post(`${base}/-/pipelines`, { ref: "main" }, alice);
  const pipelineId = Number(res.headers.get("location")!.split("/").at(-1));
  const job = h.store.repos.jobs.allOfPipeline(pipelineId)[0]!;
  h.store.repos.jobs.update(job.id, { status: "failed", finishedAt: new Date() });
  return job.id;
}

test("Retry with terminal: the form's breakpoint reaches the new try; a bad line is a flash, not a retry", async () => {
  const jobId = await failedJob();
  const page = await (await h.get(`${base}/-/jobs/${jobId}`, alice)).text();
  expect(page).toContain("Retry with terminal");
  expect(page).toContain('name="debug_breakpoint"');

  const bad = await h.post(`${base}/-/jobs/${jobId}/retry`, { debug_breakpoint: "script", debug_line: "0" }, alice);
  expect(bad.status).toBe(303);
  expect(h.store.repos.jobs.findById(jobId)!.retried).toBe(false);

  const res = await h.post(`${base}/-/jobs/${jobId}/retry`, { debug_breakpoint: "script", debug_line: "3" }, alice);
  expect(res.status).toBe(303);
  const newId = Number(res.headers.get("location")!.split("/").at(-1));
  expect(newId).not.toBe(jobId);
  expect(h.store.repos.jobs.findById(newId)!.spec.debug).toEqual({ breakpoint: { kind: "script", line: 3 } });
});

test("a Reporter sees no Retry with terminal and cannot post it, nor Continue", async () => {
  const jobId = await failedJob();
  const reporter = await h.visitor("rita");
  h.member(project, reporter.user!, ROLES.reporter);
  expect(await (await h.get(`${base}/-/jobs/${jobId}`, reporter)).text()).not.toContain("Retry with terminal");
  const retry = await h.post(`${base}/-/jobs/${jobId}/retry`, { debug_breakpoint: "before_script" }, reporter);
  expect(retry.status).toBe(403);
  expect(h.store.repos.jobs.findById(jobId)!.retried).toBe(false);
  expect((await h.post(`${base}/-/jobs/${jobId}/continue`, {}, reporter)).status).toBe(403);
});

test("Settings: Debug on failure is saved from a duration, shown back, refused when it is none", async () => {
  const settings = `${base}/-/settings/ci_cd`;
  expect(await (await h.get(settings, alice)).text()).toContain(`action="${settings}/debug"`);
  expect((await h.post(`${settings}/debug`, { debug_on_failure: "10m" }, alice)).status).toBe(303);
  expect(h.store.repos.projects.findById(project.id)!.debugOnFailure).toBe(600);
  expect(await (await h.get(settings, alice)).text()).toContain('value="10m0s"');
  const wrong = await h.post(`${settings}/debug`, { debug_on_failure: "soon" }, alice);
  expect(wrong.status).toBe(422);
  expect(fieldError(await wrong.text(), "debug_on_failure")).toContain("must be a duration");
  expect((await h.post(`${settings}/debug`, { debug_on_failure: "" }, alice)).status).toBe(303);
  expect(h.store.repos.projects.findById(project.id)!.debugOnFailure).toBeNull();
});
