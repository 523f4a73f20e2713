// Remote runners' leases and routing: a runner that goes silent fails its job with runner_system_failure (and the
// log says why), `retry: when: runner_system_failure` hands the new try to another runner, an unconfirmed two-phase
// job is queued again, and tags / run_untagged decide which runner gets which job.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { gitlabRunnerCalls, traceChecksum } from "../support/gitlab-runner-calls.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { waitFor } from "../support/wait.ts";
import { webSession } from "../support/web-session.ts";

let t: TestPorthole;

beforeAll(async () => {
  t = await startTestPorthole({
    runner: { enabled: false },
    runner_api: { long_poll_timeout: 1, lease_timeout: 1, registration_token: "legacy-registration-secret" },
  });
});
afterAll(async () => {
  await t?.stop();
});

async function newRunner(opts: { tag_list?: string[]; run_untagged?: boolean } = {}) {
  const r = await t.api("/user/runners", { method: "POST", json: { runner_type: "instance_type", ...opts } });
  expect(r.status).toBe(201);
  const { token } = (await r.json()) as { token: string };
  return gitlabRunnerCalls({ base: t.url, token });
}

async function project(ciConfig: string): Promise<number> {
  const r = await t.api("/projects", {
    method: "POST",
    json: { name: `p${crypto.randomUUID().slice(0, 8)}`, ci_config: ciConfig },
  });
  expect(r.status).toBe(201);
  const id = ((await r.json()) as { id: number }).id;
  expect((await t.api(`/projects/${id}/pipeline?ref=main`, { method: "POST" })).status).toBe(201);
  return id;
}

type Job = { id: number; token: string; job_info: { name: string } };
const job = async (res: Response): Promise<Job> => {
  expect(res.status).toBe(201);
  return (await res.json()) as Job;
};
const jobsOf = async (pid: number) =>
  (await (await t.api(`/projects/${pid}/jobs?include_retried=true`)).json()) as {
    id: number;
    status: string;
    failure_reason?: string;
  }[];

describe("leases", () => {
  test("a silent runner's job fails with runner_system_failure and the retry goes to another runner", async () => {
    const silent = await newRunner();
    const pid = await project("flaky:\n  retry:\n    max: 1\n    when: runner_system_failure\n  script: [echo hi]\n");
    const first = await job(await silent.requestJob());
    expect((await silent.updateJob(first.id, first.token, "running")).status).toBe(200); // two-phase commit
    expect((await silent.patchTrace(first.id, first.token, 0, "started\n")).status).toBe(202);
    // No more calls from this runner: the lease (1 s here) runs out.
    await waitFor(
      "the silent runner's job to fail",
      async () => (await jobsOf(pid)).some((j) => j.id === first.id && j.status === "failed"),
      5000,
    );
    const failed = (await jobsOf(pid)).find((j) => j.id === first.id)!;
    expect(failed.failure_reason).toBe("runner_system_failure");
    const log = await (await t.api(`/projects/${pid}/jobs/${first.id}/trace`)).text();
    expect(log).toContain("started\n");
    expect(log).toContain("The runner stopped responding: no update for 1 s");
    // The silent runner's token is dead for that job; a healthy runner takes the retry.
    expect((await silent.patchTrace(first.id, first.token, 8, "late\n")).status).toBe(403);
    const healthy = await newRunner();
    const retry = await job(await healthy.requestJob());
    expect(retry.id).not.toBe(first.id);
    expect(retry.job_info.name).toBe("flaky");
    expect((await healthy.updateJob(retry.id, retry.token, "success", { output: traceChecksum("") })).status).toBe(200);
  });

  test("a runner that keeps calling keeps its job past the lease time", async () => {
    const busy = await newRunner();
    const pid = await project("long:\n  script: [echo hi]\n");
    const j = await job(await busy.requestJob());
    for (let i = 0; i < 5; i++) {
      await Bun.sleep(400);
      const answer = await busy.updateJob(j.id, j.token, "running");
      expect(answer.headers.get("Job-Status")).toBe("running");
      // Told to call again well within the lease (1 s here), not after the unwatched default of 10 s.
      expect(answer.headers.get("X-GitLab-Trace-Update-Interval")).toBe("1");
    }
    expect((await jobsOf(pid))[0]!.status).toBe("running");
    expect((await busy.updateJob(j.id, j.token, "success", { output: traceChecksum("") })).status).toBe(200);
  });

  test("a two-phase job its runner never confirms is queued again, not failed", async () => {
    const forgetful = await gitlabRunnerCalls({
      base: t.url,
      token: await tokenOf({}),
      features: { two_phase_job_commit: true },
    });
    const pid = await project("confirm-me:\n  script: [echo hi]\n");
    const handed = await job(await forgetful.requestJob());
    await waitFor(
      "the unconfirmed job to be queued again",
      async () => (await jobsOf(pid))[0]!.status === "pending",
      5000,
    );
    expect((await jobsOf(pid)).length).toBe(1);
    const other = await newRunner();
    const again = await job(await other.requestJob());
    expect(again.id).toBe(handed.id);
    expect(again.token).not.toBe(handed.token);
    expect((await other.updateJob(again.id, again.token, "success", { output: traceChecksum("") })).status).toBe(200);
  });
});

async function tokenOf(opts: { tag_list?: string[]; run_untagged?: boolean }): Promise<string> {
  const r = await t.api("/user/runners", { method: "POST", json: { runner_type: "instance_type", ...opts } });
  return ((await r.json()) as { token: string }).token;
}

describe("legacy registration", () => {
  test("the instance's registration token registers a runner with its tags; a wrong one gets 403", async () => {
    const register = (token: string) =>
      fetch(`${t.url}/api/v4/runners`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          token,
          description: "legacy",
          info: { name: "gitlab-runner", version: "18.0.0", platform: "linux", architecture: "arm64" },
          active: true,
          run_untagged: false,
          tag_list: "arm,legacy",
        }),
      });
    expect((await register("wrong")).status).toBe(403);
    const res = await register("legacy-registration-secret");
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: number; token: string; token_expires_at: null };
    expect(body.token).toStartWith("glrt-");
    const shown = (await (await t.api(`/runners/${body.id}`)).json()) as Record<string, unknown>;
    expect(shown).toMatchObject({
      description: "legacy",
      tag_list: ["arm", "legacy"],
      run_untagged: false,
      architecture: "arm64",
    });
    const stored = t.porthole.store.sqlite
      .query<{ token_hash: string }, [number]>("SELECT token_hash FROM runners WHERE id = ?")
      .get(body.id)!;
    expect(stored.token_hash).not.toContain(body.token.slice(5)); // hashed at rest
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await gitlabRunnerCalls({ base: t.url, token: body.token }).verify()).status).toBe(200);
  });
});

describe("routing", () => {
  test("tags send a job to a runner with all its tags; run_untagged: false keeps untagged jobs away", async () => {
    const plain = await newRunner();
    const tagged = await newRunner({ tag_list: ["docker", "linux"], run_untagged: false });
    await project("tagged:\n  tags: [docker]\n  script: [echo hi]\n");
    expect((await plain.requestJob()).status).toBe(204); // untagged runner: not for a tagged job
    const got = await job(await tagged.requestJob());
    expect(got.job_info.name).toBe("tagged");
    await tagged.updateJob(got.id, got.token, "success", { output: traceChecksum("") });

    await project("untagged:\n  script: [echo hi]\n");
    expect((await tagged.requestJob()).status).toBe(204);
    const mine = await job(await plain.requestJob());
    expect(mine.job_info.name).toBe("untagged");
    await plain.updateJob(mine.id, mine.token, "success", { output: traceChecksum("") });
  });

  test("a paused runner gets no jobs", async () => {
    const r = await t.api("/user/runners", { method: "POST", json: { runner_type: "instance_type", paused: true } });
    const { token } = (await r.json()) as { token: string };
    const pid = await project("waits:\n  script: [echo hi]\n");
    expect((await gitlabRunnerCalls({ base: t.url, token }).requestJob()).status).toBe(204);
    expect((await jobsOf(pid))[0]!.status).toBe("pending");
    const other = await newRunner();
    const j = await job(await other.requestJob());
    await other.updateJob(j.id, j.token, "success", { output: traceChecksum("") });
  });
});

describe("pausing a runner whose job request is held", () => {
  let held: TestPorthole;
  beforeAll(async () => {
    held = await startTestPorthole({ runner: { enabled: false }, runner_api: { long_poll_timeout: 30 } });
  });
  afterAll(async () => {
    await held?.stop();
  });

  test("the held request gets no job while paused, and the job the moment the runner is resumed", async () => {
    const made = await held.api("/user/runners", { method: "POST", json: { runner_type: "instance_type" } });
    const { id, token } = (await made.json()) as { id: number; token: string };
    const runner = gitlabRunnerCalls({ base: held.url, token });
    let answered = false;
    const request = runner.requestJob().then((res) => {
      answered = true;
      return res;
    });
    await waitFor(
      "the request to be held",
      async () => ((await (await held.api(`/runners/${id}`)).json()) as { status: string }).status === "online",
      5000,
    );
    const root = held.porthole.store.repos.users.findByLogin("root")!;
    const admin = webSession(held, root.id);
    expect((await admin.submit(`/admin/runners/${id}/pause`)).status).toBe(303);
    const created = await held.api("/projects", {
      method: "POST",
      json: { name: "held-request", ci_config: "held:\n  script: [echo hi]\n" },
    });
    const pid = ((await created.json()) as { id: number }).id;
    expect((await held.api(`/projects/${pid}/pipeline?ref=main`, { method: "POST" })).status).toBe(201);
    const jobs = async () => (await (await held.api(`/projects/${pid}/jobs`)).json()) as { status: string }[];
    expect((await jobs())[0]!.status).toBe("pending");
    expect(answered).toBe(false); // still held (for up to 30 s), without the job
    expect((await admin.submit(`/admin/runners/${id}/resume`)).status).toBe(303);
    const j = await job(await request); // the same held request, answered at the resume rather than after 30 s
    await runner.updateJob(j.id, j.token, "success", { output: traceChecksum("") });
  });
});
