// The HTTP coordinator against a real porthole's runner API: verify, a job, a lost acknowledgment, the result, a cancel.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHttpCoordinator } from "../../src/runner/remote/http-coordinator.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { createProject, json } from "../support/terminal-jobs.ts";

const LIMITS = { maxFiles: 10_000, maxBytes: 100 * 1024 * 1024 };
let t: TestPorthole;
let token: string;
const info = { name: "coordinator-test", tags: [], runUntagged: true, id: 0 };

beforeAll(async () => {
  t = await startTestPorthole({ runner: { enabled: false } });
  const made = await json<{ token: string }>(
    t.api("/user/runners", { method: "POST", json: { runner_type: "instance_type", description: "remote" } }),
  );
  token = made.token;
});
afterAll(() => t.stop());

const coordinator = () =>
  createHttpCoordinator({
    url: t.url,
    token,
    info: { name: "remote", version: "test", executor: "shell" },
    artifactLimits: LIMITS,
  });

async function takeJob(yaml: string) {
  const project = await createProject(t, `p${crypto.randomUUID().slice(0, 8)}`, yaml);
  await json(t.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" } }));
  const c = coordinator();
  const job = await c.requestJob(info, AbortSignal.timeout(20_000));
  if (!job) throw new Error("no job handed out");
  return { c, job, project };
}

const traceOf = async (projectId: number, jobId: number) =>
  (await t.api(`/projects/${projectId}/jobs/${jobId}/trace`)).text();

describe("HTTP coordinator", () => {
  test("verify names the runner; a wrong token is refused with the server's answer", async () => {
    expect((await coordinator().verify()).id).toBeGreaterThan(0);
    const wrong = createHttpCoordinator({
      url: t.url,
      token: "glrt-wrong",
      info: { name: "x", version: "t", executor: "shell" },
      artifactLimits: LIMITS,
    });
    await expect(wrong.verify()).rejects.toThrow(/refused the runner token \(403/);
  });

  test("a job arrives as the runner's payload: script, project path, job token among the variables", async () => {
    const { c, job, project } = await takeJob(
      "build:\n  before_script: [echo before]\n  script: [echo main]\n  after_script: [echo after]\n",
    );
    expect(job.name).toBe("build");
    expect(job.projectPath).toBe(project.path);
    expect(job.script).toEqual(["echo before", "echo main"]);
    expect(job.afterScript).toEqual(["echo after"]);
    expect(job.sources).toEqual({ kind: "none" });
    expect(job.variables.find((v) => v.key === "CI_JOB_TOKEN")?.value).toBe(job.token);
    await c.finishJob(job.id, { status: "success" });
    expect((await json<{ status: string }>(t.api(`/projects/${project.id}/jobs/${job.id}`))).status).toBe("success");
  });

  test("bytes whose acknowledgment was lost are neither lost nor sent twice (416 rewinds to the server's length)", async () => {
    const { c, job, project } = await takeJob("build:\n  script: [echo x]\n");
    const first = new TextEncoder().encode("first part\n");
    await c.appendTrace(job.id, 0, first);
    // The next PATCH reaches the server, but its answer never reaches the runner: the server has these bytes.
    const second = new TextEncoder().encode("second part\n");
    const landed = await fetch(`${t.url}/api/v4/jobs/${job.id}/trace`, {
      method: "PATCH",
      headers: { "JOB-TOKEN": job.token, "Content-Range": `${first.length}-${first.length + second.length - 1}` },
      body: second,
    });
    expect(landed.status).toBe(202);
    // The runner's trace writer retries the same append, plus what came meanwhile.
    const third = new TextEncoder().encode("third part\n");
    await c.appendTrace(job.id, first.length, Buffer.concat([second, third]));
    await c.finishJob(job.id, { status: "success" });
    expect(await traceOf(project.id, job.id)).toBe("first part\nsecond part\nthird part\n");
    expect((await json<{ status: string }>(t.api(`/projects/${project.id}/jobs/${job.id}`))).status).toBe("success");
  });

  test("a failure keeps its reason and exit code", async () => {
    const { c, job, project } = await takeJob("build:\n  script: [exit 3]\n");
    await c.finishJob(job.id, { status: "failed", failureReason: "script_failure", exitCode: 3 });
    const row = await json<{ status: string; failure_reason: string }>(t.api(`/projects/${project.id}/jobs/${job.id}`));
    expect([row.status, row.failure_reason]).toEqual(["failed", "script_failure"]);
  });

  test("canceling the job on the server reaches watchCancel", async () => {
    const { c, job, project } = await takeJob("build:\n  script: [sleep 100]\n");
    const canceled = new Promise<number>((resolve) => c.watchCancel(job.id, () => resolve(Date.now())));
    const asked = Date.now();
    await json(t.api(`/projects/${project.id}/jobs/${job.id}/cancel`, { method: "POST" }));
    const at = await Promise.race([canceled, Bun.sleep(15_000).then(() => null)]);
    expect(at).not.toBeNull();
    expect(at! - asked).toBeLessThan(10_000);
    await c.finishJob(job.id, { status: "canceled" });
    expect((await json<{ status: string }>(t.api(`/projects/${project.id}/jobs/${job.id}`))).status).toBe("canceled");
  });
});
