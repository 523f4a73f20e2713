import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { ROLES } from "../../../auth/permissions.ts";
import type { ProjectRow } from "../../../store/rows.ts";
import { decodeResumeToken } from "../log/resume-token.ts";
import { makeUiHarness, type UiHarness, type Visitor } from "../ui-harness.testing.ts";

const CI = "build:\n  script: echo hi\ndeploy:\n  stage: deploy\n  when: manual\n  script: echo deploy\n";

let h: UiHarness;
let alice: Visitor;
let base: string;
let project: ProjectRow;
beforeEach(async () => {
  h = await makeUiHarness();
  alice = await h.visitor("alice");
  project = h.project(alice.user!, { ci_config: CI });
  base = `/alice/${project.path}`;
});
afterEach(() => h.close());

async function runPipeline() {
  const res = await h.post(`${base}/-/pipelines`, { ref: "main" }, alice);
  const id = Number(res.headers.get("location")!.split("/").at(-1));
  const rows = h.store.repos.jobs.allOfPipeline(id);
  return { id, build: rows.find((j) => j.name === "build")!, deploy: rows.find((j) => j.name === "deploy")! };
}

/** Reads server-sent events from a response until `until` matches one, returning them all. */
async function readEvents(
  res: Response,
  until: (event: string, data: string) => boolean,
): Promise<{ event: string; data: string }[]> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: { event: string; data: string }[] = [];
  let buffer = "";
  while (!events.some((e) => until(e.event, e.data))) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    for (let i = buffer.indexOf("\n\n"); i >= 0; i = buffer.indexOf("\n\n")) {
      const block = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      const event = block.match(/^event: (.*)$/m)?.[1];
      if (event) events.push({ event, data: block.match(/^data: (.*)$/m)?.[1] ?? "" });
    }
  }
  await reader.cancel();
  return events;
}

describe("job pages", () => {
  test("raw log as text/plain, and as a download", async () => {
    const { build } = await runPipeline();
    h.traces.append(build.id, new TextEncoder().encode("\x1b[32mhello <b>\x1b[0m\n"));
    const raw = await h.get(`${base}/-/jobs/${build.id}/raw`, alice);
    expect(raw.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await raw.text()).toBe("\x1b[32mhello <b>\x1b[0m\n");
    const download = await h.get(`${base}/-/jobs/${build.id}/raw?download=1`, alice);
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="job-${build.id}.log"`);
  });

  test("the page shows the log escaped and coloured, and streams what comes next", async () => {
    const { build } = await runPipeline();
    h.traces.append(build.id, new TextEncoder().encode("\x1b[32mhello <b>\x1b[0m\npart"));
    const html = await (await h.get(`${base}/-/jobs/${build.id}`, alice)).text();
    expect(html).toContain(`<span class="fg-2">hello &lt;b&gt;</span>`);
    const stream = html.match(/data-stream="([^"]+)"/)![1]!.replaceAll("&amp;", "&");
    const res = await h.get(stream, alice);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    setTimeout(() => h.traces.append(build.id, new TextEncoder().encode("ial\n")), 20);
    // The backlog's unfinished "part" may come first as a batch of no lines (when the append is late): wait for the line.
    const events = await readEvents(res, (e, data) => e === "ops" && JSON.parse(data).ops.length > 0);
    const ops = JSON.parse(events.findLast((e) => e.event === "ops")!.data);
    expect(ops.ops).toEqual([{ op: "line", html: `<div class="ln" data-n="2">partial</div>` }]);
    expect(decodeResumeToken(ops.resume)!.state.line).toBe(3);
  });

  test("the stream of a finished job whose log was never closed ends once it is quiet", async () => {
    const { build } = await runPipeline();
    h.traces.follow(build.id, 0, true, { data() {}, end() {} });
    h.store.repos.jobs.update(build.id, { status: "skipped" });
    const html = await (await h.get(`${base}/-/jobs/${build.id}`, alice)).text();
    const stream = html.match(/data-stream="([^"]+)"/)![1]!.replaceAll("&amp;", "&");
    const events = await readEvents(await h.get(stream, alice), (e) => e === "end");
    expect(events.at(-1)!.event).toBe("end");
  });

  test("a forged resume token is refused", async () => {
    const { build } = await runPipeline();
    expect((await h.get(`${base}/-/jobs/${build.id}/log.sse?state=${btoa("{}")}`, alice)).status).toBe(400);
    expect((await h.get(`${base}/-/jobs/${build.id}/log_chunk?to=-5`, alice)).status).toBe(400);
  });

  test("cancel, retry and play through the job page's forms", async () => {
    const { build, deploy } = await runPipeline();
    expect((await h.post(`${base}/-/jobs/${build.id}/cancel`, {}, alice)).headers.get("location")).toBe(
      `${base}/-/jobs/${build.id}`,
    );
    expect(h.store.repos.jobs.findById(build.id)!.status).toBe("canceled");
    const retried = (await h.post(`${base}/-/jobs/${build.id}/retry`, {}, alice)).headers.get("location")!;
    expect(retried).not.toBe(`${base}/-/jobs/${build.id}`);
    const played = await h.post(
      `${base}/-/jobs/${deploy.id}/play`,
      { "variables[0][key]": "TARGET", "variables[0][value]": "prod" },
      alice,
    );
    expect(played.status).toBe(303);
    expect(h.store.repos.jobs.findById(deploy.id)!.status).not.toBe("manual");
  });

  test("a refused action flashes the plain reason, with no status number in it", async () => {
    const { build } = await runPipeline();
    const res = await h.post(`${base}/-/jobs/${build.id}/retry`, {}, alice);
    expect([res.status, res.headers.get("location")]).toEqual([303, `${base}/-/jobs/${build.id}`]);
    const flash = decodeURIComponent(res.headers.get("set-cookie")!.match(/_porthole_flash=([^;]*)/)![1]!);
    expect(JSON.parse(flash)).toEqual({ kind: "alert", message: "Job is not retryable" });
    const missing = await h.get(`${base}/-/jobs/${build.id + 1000}`, alice);
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toMatch(/\b404 \w+ Not Found/);
  });

  test("a Reporter reads the log but cannot cancel; the Debug link needs a running job and the right role", async () => {
    const { build } = await runPipeline();
    const reporter = await h.visitor("rita");
    h.member(project, reporter.user!, ROLES.reporter);
    expect((await h.get(`${base}/-/jobs/${build.id}`, reporter)).status).toBe(200);
    expect((await h.post(`${base}/-/jobs/${build.id}/cancel`, {}, reporter)).status).toBe(403);
    h.store.repos.jobs.update(build.id, { status: "running", startedAt: new Date() });
    expect(await (await h.get(`${base}/-/jobs/${build.id}`, reporter)).text()).not.toContain("data-debug");
    const page = await (await h.get(`${base}/-/jobs/${build.id}`, alice)).text();
    expect(page).toContain(`href="${base}/-/jobs/${build.id}/terminal" target="_blank" rel="noopener" data-debug`);
  });
});

describe("badge and lint", () => {
  test("the badge shows the ref's latest pipeline to those who may see it, `unknown` to others", async () => {
    await runPipeline();
    const own = await (await h.get(`${base}/badges/main/pipeline.svg`, alice)).text();
    expect(own).toContain("pipeline: pending");
    expect(await (await h.get(`${base}/badges/main/pipeline.svg`)).text()).toContain("pipeline: unknown");
    expect(await (await h.get(`/alice/missing/badges/main/pipeline.svg`)).text()).toContain("pipeline: unknown");
  });

  test("lint answers valid, or the error with its line", async () => {
    const lint = (content: string) =>
      h.app.request("http://ci.test/-/ui/ci/lint", {
        method: "POST",
        body: JSON.stringify({ content }),
        headers: { cookie: alice.cookie, "Content-Type": "application/json", "X-CSRF-Token": alice.csrf },
      });
    expect(await (await lint("a:\n  script: echo\n")).json()).toMatchObject({ valid: true, errors: [] });
    const bad = (await (await lint("a:\n  script: echo\n  when: sometimes\n")).json()) as {
      valid: boolean;
      errors: string[];
    };
    expect(bad.valid).toBe(false);
    expect(bad.errors[0]).toMatch(/line 3/);
  });
});
