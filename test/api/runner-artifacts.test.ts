// GitLab's runner artifact endpoints with real job tokens: a remote runner uploads a job's archive and a later job
// downloads it, into and out of the store the embedded runner uses; tokens of other jobs and oversize bodies are refused.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { unzipSync } from "fflate";
import type { JobPayload } from "../../src/domain/coordinator.ts";
import { ensureEmbeddedRunner } from "../../src/queue/embedded-runner.ts";
import { writeZip } from "../../src/shared/zip-archive.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

const CI = `
stages: [build, test]
build:
  stage: build
  script: [make]
  artifacts: {paths: [dist/]}
test:
  stage: test
  script: [make test]
`;

let t: TestPorthole;
beforeAll(async () => {
  t = await startTestPorthole({ runner: { enabled: false }, artifacts: { max_size: 200_000 } });
});
afterAll(() => t?.stop());

/** Takes the next pending job as a runner would, with its CI_JOB_TOKEN. */
async function takeJob(): Promise<JobPayload> {
  const runner = ensureEmbeddedRunner(t.porthole.store.db, "remote-test");
  const job = await t.porthole.queue.coordinator.requestJob(runner, AbortSignal.timeout(5000));
  if (!job) throw new Error("no job was handed out");
  return job;
}

const upload = (jobId: number, token: string | null, bytes: Uint8Array, type = "archive") => {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(bytes)], "artifacts.zip"));
  form.set("artifact_type", type);
  return fetch(`${t.url}/api/v4/jobs/${jobId}/artifacts`, {
    method: "POST",
    headers: token ? { "JOB-TOKEN": token } : {},
    body: form,
  });
};

test("upload with the job's token, download with the dependent job's token, byte-identical", async () => {
  const project = (await (
    await t.api("/projects", { method: "POST", json: { name: "remote", ci_config: CI } })
  ).json()) as {
    id: number;
  };
  await t.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" } });
  const build = await takeJob();
  expect(build.artifacts).toEqual([
    { type: "archive", paths: ["dist/"], exclude: [], untracked: false, when: "on_success" },
  ]);
  const zip = writeZip([{ path: "dist/app.js", mode: 0o644, data: crypto.getRandomValues(new Uint8Array(50_000)) }]);

  expect((await upload(build.id, null, zip)).status).toBe(401);
  expect((await upload(build.id, "glcbt-not-a-token", zip)).status).toBe(401);
  const tooBig = await upload(build.id, build.token, new Uint8Array(400_000));
  expect(tooBig.status).toBe(413);
  const ok = await upload(build.id, build.token, zip);
  expect(ok.status).toBe(201);
  // As gitlab-runner sends it: the type in the query.
  const asRunner = new FormData();
  asRunner.set("file", new File([new Uint8Array(zip)], "junit.xml.zip"));
  const typed = await fetch(`${t.url}/api/v4/jobs/${build.id}/artifacts?artifact_type=junit&artifact_format=zip`, {
    method: "POST",
    headers: { "JOB-TOKEN": build.token },
    body: asRunner,
  });
  expect(typed.status).toBe(201);
  expect(t.porthole.artifacts.find(build.id, "junit")?.size).toBe(zip.length);
  const badType = await fetch(`${t.url}/api/v4/jobs/${build.id}/artifacts?artifact_type=../x`, {
    method: "POST",
    headers: { "JOB-TOKEN": build.token },
    body: asRunner,
  });
  expect(badType.status).toBe(400);
  // A job token is read-only everywhere else.
  const other = await fetch(`${t.url}/api/v4/projects/${project.id}/pipeline`, {
    method: "POST",
    headers: { "JOB-TOKEN": build.token, "Content-Type": "application/json" },
    body: JSON.stringify({ ref: "main" }),
  });
  expect(other.status).toBe(403);

  await t.porthole.queue.coordinator.finishJob(build.id, { status: "success" });
  const later = await takeJob();
  expect(later.dependencies).toEqual([{ id: build.id, name: "build" }]);
  // The finished build's token is no longer valid for anything.
  expect((await upload(build.id, build.token, zip)).status).toBe(401);
  expect((await upload(build.id, later.token, zip)).status).toBe(403);

  const res = await fetch(`${t.url}/api/v4/jobs/${build.id}/artifacts`, { headers: { "JOB-TOKEN": later.token } });
  expect(res.status).toBe(200);
  const got = new Uint8Array(await res.arrayBuffer());
  expect(got).toEqual(new Uint8Array(zip));
  expect(Object.keys(unzipSync(new Uint8Array(got)))).toEqual(["dist/app.js"]);
  // The same archive through the user API: one store.
  const viaApi = await t.api(`/projects/${project.id}/jobs/${build.id}/artifacts`);
  expect(new Uint8Array(await viaApi.arrayBuffer())).toEqual(new Uint8Array(zip));
  // GitLab's `?job_token=$CI_JOB_TOKEN` for curl in a script: artifact downloads only, GET only.
  const byQuery = await fetch(
    `${t.url}/api/v4/projects/${project.id}/jobs/${build.id}/artifacts?job_token=${later.token}`,
  );
  expect(byQuery.status).toBe(200);
  expect(new Uint8Array(await byQuery.arrayBuffer())).toEqual(new Uint8Array(zip));
  expect((await fetch(`${t.url}/api/v4/projects/${project.id}?job_token=${later.token}`)).status).toBe(401);
  const wrong = await fetch(`${t.url}/api/v4/projects/${project.id}/jobs/${build.id}/artifacts?job_token=nope`);
  expect(wrong.status).toBe(401);
  await t.porthole.queue.coordinator.finishJob(later.id, { status: "success" });
  const afterFinish = `${t.url}/api/v4/projects/${project.id}/jobs/${build.id}/artifacts?job_token=${later.token}`;
  expect((await fetch(afterFinish)).status).toBe(401);
}, 30_000);
