// GitLab's runner protocol against a real porthole, with the exact calls gitlab-runner 17.x makes: verify, long-polled
// jobs/request (201/204 and X-GitLab-Last-Update), two-phase commit, trace PATCH with a wrong range (416, rewind),
// the final update with its checksum, cancel through Job-Status, and GitLab's refusals for bad input.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createWebSession, SESSION_COOKIE } from "../../src/auth/web-sessions.ts";
import { gitlabRunnerCalls, traceChecksum } from "../support/gitlab-runner-calls.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

let t: TestPorthole;
let runnerToken: string;
let runnerId: number;
let projectId: number;

beforeAll(async () => {
  t = await startTestPorthole({ runner: { enabled: false }, runner_api: { long_poll_timeout: 1 } });
  const r = await t.api("/user/runners", {
    method: "POST",
    json: { runner_type: "instance_type", description: "fleet" },
  });
  ({ token: runnerToken, id: runnerId } = (await r.json()) as { token: string; id: number });
  const p = await t.api("/projects", {
    method: "POST",
    json: {
      name: "remote",
      ci_config:
        "job:\n  before_script: [echo before]\n  script: [echo hello]\n  after_script: [echo after]\n  variables:\n    GREETING: hi\n",
    },
  });
  projectId = ((await p.json()) as { id: number }).id;
});
afterAll(async () => {
  await t?.stop();
});

const runner = () => gitlabRunnerCalls({ base: t.url, token: runnerToken });

async function newPipeline(): Promise<number> {
  const r = await t.api(`/projects/${projectId}/pipeline?ref=main`, { method: "POST" });
  expect(r.status).toBe(201);
  return ((await r.json()) as { id: number }).id;
}

interface JobPayload {
  id: number;
  token: string;
  job_info: { name: string; project_id: number };
  git_info: { repo_url: string };
  runner_info: { timeout: number };
  variables: { key: string; value: string; public: boolean; file: boolean; masked: boolean; raw: boolean }[];
  steps: { name: string; script: string[]; timeout: number; when: string; allow_failure: boolean }[];
  features: { trace_sections: boolean; failure_reasons: unknown[] };
  [key: string]: unknown;
}

async function takeJob(calls = runner()): Promise<JobPayload> {
  const res = await calls.requestJob();
  expect(res.status).toBe(201);
  return (await res.json()) as JobPayload;
}

const jobStatus = async (id: number) =>
  (await (await t.api(`/projects/${projectId}/jobs/${id}`)).json()) as { status: string; failure_reason?: string };

describe("registration", () => {
  test("verify answers the runner's id with its token; a wrong token gets 403", async () => {
    const ok = await runner().verify();
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ id: runnerId, token: runnerToken, token_expires_at: null });
    const bad = await gitlabRunnerCalls({ base: t.url, token: "glrt-not-a-runner" }).verify();
    expect(bad.status).toBe(403);
    expect(await bad.json()).toEqual({ message: "403 Forbidden" });
  });

  test("legacy registration is off without a registration token, and unregister deletes the runner", async () => {
    const legacy = await fetch(`${t.url}/api/v4/runners`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: "anything", description: "old style" }),
    });
    expect(legacy.status).toBe(403);
    const r = await t.api("/user/runners", { method: "POST", json: { runner_type: "instance_type" } });
    const { token, id } = (await r.json()) as { token: string; id: number };
    expect((await gitlabRunnerCalls({ base: t.url, token }).unregister()).status).toBe(204);
    expect((await t.api(`/runners/${id}`)).status).toBe(404);
    expect((await gitlabRunnerCalls({ base: t.url, token }).verify()).status).toBe(403);
  });
});

describe("jobs/request", () => {
  test("no job: 204 after the long poll, with X-GitLab-Last-Update; the runner's info is recorded", async () => {
    const started = Date.now();
    const res = await runner().requestJob();
    expect(res.status).toBe(204);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const lastUpdate = res.headers.get("X-GitLab-Last-Update");
    expect(lastUpdate).toBeTruthy();
    const again = await runner().requestJob(lastUpdate!);
    expect(again.headers.get("X-GitLab-Last-Update")).toBe(lastUpdate);
    const shown = (await (await t.api(`/runners/${runnerId}`)).json()) as Record<string, unknown>;
    expect(shown).toMatchObject({ version: "17.5.0", platform: "linux", architecture: "amd64", online: true });
    expect(shown.contacted_at).toBeString();
    // The admin page says the same.
    const root = t.porthole.store.sqlite
      .query<{ id: number }, []>("SELECT id FROM users WHERE username = 'root'")
      .get()!;
    const { cookieValue } = createWebSession(t.porthole.store.db, root.id, {});
    const page = await (
      await fetch(`${t.url}/admin/runners`, { headers: { Cookie: `${SESSION_COOKIE}=${cookieValue}` } })
    ).text();
    const row = page.slice(
      page.indexOf(`#${runnerId} fleet`),
      page.indexOf("</tr>", page.indexOf(`#${runnerId} fleet`)),
    );
    expect(row).toContain("online");
    expect(row).toContain("17.5.0 linux/amd64 shell");
  });

  test("a held request answers 201 the moment a job is queued, with gitlab-runner's payload", async () => {
    const slow = await startTestPorthole({ runner: { enabled: false }, runner_api: { long_poll_timeout: 30 } });
    try {
      const r = await slow.api("/user/runners", { method: "POST", json: { runner_type: "instance_type" } });
      const { token } = (await r.json()) as { token: string };
      const p = await slow.api("/projects", {
        method: "POST",
        json: { name: "held", ci_config: "j:\n  script: [echo held]\n" },
      });
      const pid = ((await p.json()) as { id: number }).id;
      const waiting = gitlabRunnerCalls({ base: slow.url, token }).requestJob();
      await Bun.sleep(300);
      const queuedAt = Date.now();
      expect((await slow.api(`/projects/${pid}/pipeline?ref=main`, { method: "POST" })).status).toBe(201);
      const res = await waiting;
      expect(res.status).toBe(201);
      expect(Date.now() - queuedAt).toBeLessThan(2000);
      await res.body?.cancel();
    } finally {
      await slow.stop();
    }
  });

  test("the payload has GitLab's fields: steps, variables, features.failure_reasons as strings", async () => {
    await newPipeline();
    const job = await takeJob();
    expect(job.token).toStartWith("glcbt-");
    expect(job.job_info).toMatchObject({ name: "job", project_id: projectId });
    expect(job.git_info.repo_url).toBe(
      `${new URL(t.url).protocol}//gitlab-ci-token:${job.token}@${new URL(t.url).host}/root/remote.git`,
    );
    expect(job.steps).toEqual([
      {
        name: "script",
        script: ["echo before", "echo hello"],
        timeout: 3600,
        when: "on_success",
        allow_failure: false,
      },
      { name: "after_script", script: ["echo after"], timeout: 3600, when: "always", allow_failure: true },
    ]);
    expect(job.variables).toContainEqual({
      key: "GREETING",
      value: "hi",
      public: true,
      file: false,
      masked: false,
      raw: false,
    });
    expect(job.variables).toContainEqual({
      key: "CI_JOB_TOKEN",
      value: job.token,
      public: false,
      file: false,
      masked: true,
      raw: true,
    });
    for (const key of ["allow_git_fetch", "image", "services", "artifacts", "cache", "dependencies", "runner_info"])
      expect(job).toHaveProperty(key);
    expect(job.features.trace_sections).toBe(true);
    expect(job.features.failure_reasons.length).toBeGreaterThan(0);
    for (const reason of job.features.failure_reasons) expect(typeof reason).toBe("string");
    expect((await runner().updateJob(job.id, job.token, "success", { output: traceChecksum("") })).status).toBe(200);
  });

  test("a garbage body gets 400 and no job is handed out", async () => {
    await newPipeline();
    const res = await fetch(`${t.url}/api/v4/jobs/request`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "The request body is not valid JSON" });
    const missing = await fetch(`${t.url}/api/v4/jobs/request`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ info: {} }),
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: "token is missing" });
    const wrong = await gitlabRunnerCalls({ base: t.url, token: "glrt-wrong" }).requestJob();
    expect(wrong.status).toBe(403);
    const job = await takeJob(); // still pending: the refused calls took nothing
    expect((await runner().updateJob(job.id, job.token, "success", { output: traceChecksum("") })).status).toBe(200);
  });
});

describe("a job's life on a remote runner", () => {
  test("two-phase commit, trace with a wrong range (416 and rewind), final update with the checksum", async () => {
    await newPipeline();
    const calls = gitlabRunnerCalls({ base: t.url, token: runnerToken, features: { two_phase_job_commit: true } });
    const job = await takeJob(calls);
    const confirm = await calls.updateJob(job.id, job.token, "running");
    expect(confirm.status).toBe(200);
    expect(confirm.headers.get("Job-Status")).toBe("running");

    const first = await calls.patchTrace(job.id, job.token, 0, "line one\n");
    expect(first.status).toBe(202);
    expect(first.headers.get("Range")).toBe("0-9");
    expect(first.headers.get("Job-Status")).toBe("running");
    expect(Number(first.headers.get("X-GitLab-Trace-Update-Interval"))).toBeGreaterThan(0);

    // The runner believes more was sent than arrived: 416 says where the log really ends, and it resends from there.
    const wrong = await calls.patchTrace(job.id, job.token, 20, "line three\n");
    expect(wrong.status).toBe(416);
    expect(wrong.headers.get("Range")).toBe("0-9");
    const rewound = await calls.patchTrace(job.id, job.token, 9, "line two\nline three\n");
    expect(rewound.status).toBe(202);
    expect(rewound.headers.get("Range")).toBe("0-29");

    const trace = "line one\nline two\nline three\n";
    const done = await calls.updateJob(job.id, job.token, "success", { exit_code: 0, output: traceChecksum(trace) });
    expect(done.status).toBe(200);
    expect(done.headers.get("Job-Status")).toBe("success");
    expect((await jobStatus(job.id)).status).toBe("success");
    expect(await (await t.api(`/projects/${projectId}/jobs/${job.id}/trace`)).text()).toBe(trace);

    // A replay of the final update changes nothing: the job is closed and its token is gone.
    const replay = await calls.updateJob(job.id, job.token, "failed", {
      failure_reason: "script_failure",
      exit_code: 1,
    });
    expect(replay.status).toBe(403);
    expect((await jobStatus(job.id)).status).toBe("success");
  });

  test("the runner's session server is kept with the job while it runs and forgotten when it ends", async () => {
    await newPipeline();
    const session = {
      url: "https://runner-a.test:8093/session/3f1c",
      certificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
      authorization: "session-secret",
    };
    const res = await runner().requestJob("", session);
    const job = (await res.json()) as JobPayload & { runner_info: { runner_session_url: string } };
    expect(job.runner_info.runner_session_url).toBe(session.url);
    const stored = () =>
      t.porthole.store.sqlite
        .query<{ url: string | null; cert: string | null; auth: string | null }, [number]>(
          "SELECT session_url AS url, session_certificate AS cert, session_authorization AS auth FROM jobs WHERE id = ?",
        )
        .get(job.id);
    expect(stored()).toEqual({ url: session.url, cert: session.certificate, auth: session.authorization });
    expect((await runner().updateJob(job.id, job.token, "success", { output: traceChecksum("") })).status).toBe(200);
    expect(stored()).toEqual({ url: null, cert: null, auth: null });
  });

  test("a failed job records the runner's failure reason and exit code", async () => {
    await newPipeline();
    const job = await takeJob();
    await runner().patchTrace(job.id, job.token, 0, "boom\n");
    const res = await runner().updateJob(job.id, job.token, "failed", {
      failure_reason: "script_failure",
      exit_code: 3,
      output: traceChecksum("boom\n"),
    });
    expect(res.status).toBe(200);
    const shown = await jobStatus(job.id);
    expect(shown).toMatchObject({ status: "failed", failure_reason: "script_failure" });
  });

  test("a final update whose log is longer than the stored one gets 412, and nothing finishes", async () => {
    await newPipeline();
    const job = await takeJob();
    await runner().patchTrace(job.id, job.token, 0, "abc\n");
    const res = await runner().updateJob(job.id, job.token, "success", { output: traceChecksum("abc\ndef\n") });
    expect(res.status).toBe(412);
    expect((await jobStatus(job.id)).status).toBe("running");
    expect((await runner().patchTrace(job.id, job.token, 4, "def\n")).status).toBe(202);
    expect(
      (await runner().updateJob(job.id, job.token, "success", { output: traceChecksum("abc\ndef\n") })).status,
    ).toBe(200);
  });

  test("cancel reaches the runner as Job-Status: canceling on its next trace call, with a short interval", async () => {
    await newPipeline();
    const job = await takeJob();
    expect((await runner().patchTrace(job.id, job.token, 0, "working\n")).headers.get("Job-Status")).toBe("running");
    expect((await t.api(`/projects/${projectId}/jobs/${job.id}/cancel`, { method: "POST" })).status).toBe(201);
    const next = await runner().patchTrace(job.id, job.token, 8, "after_script output\n");
    expect(next.status).toBe(202);
    expect(next.headers.get("Job-Status")).toBe("canceling");
    expect(Number(next.headers.get("X-GitLab-Trace-Update-Interval"))).toBeLessThanOrEqual(10);
    const keepAlive = await runner().updateJob(job.id, job.token, "running");
    expect(keepAlive.headers.get("Job-Status")).toBe("canceling");
    const end = await runner().updateJob(job.id, job.token, "failed", { failure_reason: "script_failure" });
    expect(end.status).toBe(200);
    expect(end.headers.get("Job-Status")).toBe("canceled");
    expect((await jobStatus(job.id)).status).toBe("canceled");
  });

  test("wrong job token, unknown job, missing Content-Range, mismatched body: refused, the log unchanged", async () => {
    await newPipeline();
    const job = await takeJob();
    expect((await runner().patchTrace(job.id, "glcbt-wrong", 0, "x")).status).toBe(403);
    await newPipeline();
    const neighbour = await takeJob();
    const crossed = await runner().patchTrace(job.id, neighbour.token, 0, "x"); // another running job's token
    expect(crossed.status).toBe(403);
    expect(crossed.headers.get("Job-Status")).toBeNull();
    expect((await runner().updateJob(job.id, neighbour.token, "failed")).status).toBe(403);
    const admin = await fetch(`${t.url}/api/v4/jobs/${job.id}/trace`, {
      method: "PATCH",
      headers: { "PRIVATE-TOKEN": t.rootToken, "Content-Type": "text/plain", "Content-Range": "0-0" },
      body: "x",
    });
    expect(admin.status).toBe(403); // a user's credentials, even an admin's, do not write a job's log
    expect(
      (await runner().updateJob(neighbour.id, neighbour.token, "success", { output: traceChecksum("") })).status,
    ).toBe(200);
    expect((await runner().updateJob(job.id, "glcbt-wrong", "success")).status).toBe(403);
    const unknown = await runner().patchTrace(999_999, job.token, 0, "x");
    expect(unknown.status).toBe(403);
    const noRange = await fetch(`${t.url}/api/v4/jobs/${job.id}/trace`, {
      method: "PATCH",
      headers: { "JOB-TOKEN": job.token, "Content-Type": "text/plain" },
      body: "x",
    });
    expect(noRange.status).toBe(400);
    expect(await noRange.json()).toEqual({ message: "400 Bad request - Missing header Content-Range" });
    const mismatch = await fetch(`${t.url}/api/v4/jobs/${job.id}/trace`, {
      method: "PATCH",
      headers: { "JOB-TOKEN": job.token, "Content-Type": "text/plain", "Content-Range": "0-99" },
      body: "x",
    });
    expect(mismatch.status).toBe(400);
    const badState = await fetch(`${t.url}/api/v4/jobs/${job.id}`, {
      method: "PUT",
      headers: { "JOB-TOKEN": job.token, "Content-Type": "application/json" },
      body: JSON.stringify({ token: job.token, state: "exploded" }),
    });
    expect(badState.status).toBe(400);
    expect(await badState.json()).toEqual({ error: "state does not have a valid value" });
    expect(await (await t.api(`/projects/${projectId}/jobs/${job.id}/trace`)).text()).toBe("");
    expect((await jobStatus(job.id)).status).toBe("running");
    expect((await runner().updateJob(job.id, job.token, "success", { output: traceChecksum("") })).status).toBe(200);
  });
});
