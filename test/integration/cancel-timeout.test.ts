// Cancel ends a running job's whole process tree; a job timeout fails the job as GitLab does.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { jobProcesses } from "../support/processes.ts";
import { waitFor } from "../support/wait.ts";

let t: TestPorthole;
beforeAll(async () => (t = await startTestPorthole()));
afterAll(() => t?.stop());

type Job = { id: number; name: string; status: string; failure_reason?: string };

async function projectWith(name: string, yaml: string) {
  const res = await t.api("/projects", { method: "POST", json: { name, ci_config: yaml } });
  const { id } = (await res.json()) as { id: number };
  const p = (await (await t.api(`/projects/${id}/pipeline`, { method: "POST", json: { ref: "main" } })).json()) as {
    id: number;
  };
  const jobs = (await (await t.api(`/projects/${id}/pipelines/${p.id}/jobs`)).json()) as Job[];
  return { projectId: id, job: jobs[0]! };
}

test("a `sleep 1000` job canceled over the API is canceled and leaves no process of the job", async () => {
  const { projectId, job } = await projectWith("cancel-me", "sleeper:\n  script:\n    - sleep 1000 | cat\n");
  await waitFor("the sleep to start", async () => jobProcesses(job.id).some((p) => p.args === "sleep 1000"));
  const res = await t.api(`/projects/${projectId}/jobs/${job.id}/cancel`, { method: "POST" });
  expect(res.status).toBe(201);
  expect(((await res.json()) as Job).status).toBe("canceled");
  await waitFor("no process of the job", async () => jobProcesses(job.id).length === 0, 10_000);
  const after = (await (await t.api(`/projects/${projectId}/jobs/${job.id}`)).json()) as Job;
  expect(after.status).toBe("canceled");
});

test("`timeout: 3 seconds` fails a long job with job_execution_timeout", async () => {
  const { projectId, job } = await projectWith(
    "too-slow",
    `slow:\n  timeout: 3 seconds\n  script: [sleep 30]\n  after_script: [echo after-ran]\n`,
  );
  const done = await waitFor(
    "the job to time out",
    async () => {
      const j = (await (await t.api(`/projects/${projectId}/jobs/${job.id}`)).json()) as Job;
      return j.status === "failed" && j;
    },
    15_000,
  );
  expect(done.failure_reason).toBe("job_execution_timeout");
  const trace = await (await t.api(`/projects/${projectId}/jobs/${job.id}/trace`)).text();
  expect(trace).toContain("execution took longer than");
  expect(trace).not.toContain("after-ran");
});
