// One artifact pipeline, run on any executor: build's artifacts reach later jobs by stage, needs and dependencies,
// download byte-identical through the API, and nothing outside the project dir (or behind a symlink) is collected.
import { expect } from "bun:test";
import { unzipSync } from "fflate";
import { makeRepo } from "./git-repo.ts";
import type { TestPorthole } from "./porthole.ts";
import { waitFor } from "./wait.ts";

export const ARTIFACT_CI = `
stages: [build, test, deploy]
build:
  stage: build
  script:
    - mkdir -p out/sub
    - head -c 300000 /dev/urandom > out/random.bin
    - printf '#!/bin/sh\\necho tool ran\\n' > out/sub/tool.sh && chmod 755 out/sub/tool.sh
    - echo scratch > out/scratch.log
    - ln -s /etc/passwd out/passwd-link
    - ln -s /etc out/etc-link
    - echo "BUILD_VERSION=1.2.3" > build.env
    - sha256sum out/random.bin | cut -d' ' -f1 > out/random.sha
  artifacts:
    paths: [out/, ../outside, /etc/hostname, missing/, out/etc-link/passwd]
    exclude: ["out/*.log"]
    expire_in: 1 week
    reports:
      dotenv: build.env
test:
  stage: test
  script:
    - test "$(sha256sum out/random.bin | cut -d' ' -f1)" = "$(cat out/random.sha)"
    - out/sub/tool.sh
    - test ! -e out/scratch.log
    - test ! -e out/passwd-link && test ! -e out/etc-link
    - echo "version=$BUILD_VERSION"
needs_build:
  stage: test
  needs: [build]
  script:
    - test -f out/random.bin
    - echo "needs saw $BUILD_VERSION"
no_dependencies:
  stage: deploy
  dependencies: []
  script:
    - test ! -e out
    - echo "no deps version=[$BUILD_VERSION]"
need_without_artifacts:
  stage: deploy
  needs: [{job: build, artifacts: false}]
  script: [test ! -e out]
`;

type Job = { id: number; name: string; status: string };

/** Creates the project from a real git repository and runs ARTIFACT_CI to the end; returns its jobs by name. */
export async function runArtifactPipeline(t: TestPorthole, name: string) {
  const repo = makeRepo({ ".gitlab-ci.yml": ARTIFACT_CI, "README.md": "hi\n" });
  const created = await t.api("/projects", { method: "POST", json: { name, import_url: repo.dir } });
  expect(created.status).toBe(201);
  const projectId = ((await created.json()) as { id: number }).id;
  const res = await t.api(`/projects/${projectId}/pipeline`, { method: "POST", json: { ref: "main" } });
  expect(res.status).toBe(201);
  const pipelineId = ((await res.json()) as { id: number }).id;
  const jobs = await waitFor(
    `pipeline ${pipelineId} to settle`,
    async () => {
      const list = (await (await t.api(`/projects/${projectId}/pipelines/${pipelineId}/jobs`)).json()) as Job[];
      return list.every((j) => ["success", "failed", "canceled", "skipped"].includes(j.status)) && list;
    },
    120_000,
  );
  const byName = Object.fromEntries(jobs.map((j) => [j.name, j]));
  const trace = async (job: string) => (await t.api(`/projects/${projectId}/jobs/${byName[job]!.id}/trace`)).text();
  return { projectId, pipelineId, jobs: byName, trace };
}

/** What every executor must show for ARTIFACT_CI. */
export async function expectArtifactFlow(t: TestPorthole, run: Awaited<ReturnType<typeof runArtifactPipeline>>) {
  const statuses = Object.fromEntries(Object.entries(run.jobs).map(([n, j]) => [n, j.status]));
  const logs = Object.fromEntries(await Promise.all(Object.keys(run.jobs).map(async (n) => [n, await run.trace(n)])));
  if (Object.values(statuses).some((s) => s !== "success"))
    throw new Error(`statuses ${JSON.stringify(statuses)}\n${Object.values(logs).join("\n")}`);

  const build = logs.build!;
  expect(build).toContain("Uploading artifacts for successful job");
  expect(build).toContain("Uploading artifacts...");
  expect(build).toMatch(/out\/: found \d+ matching artifact files and directories/);
  expect(build).toContain("WARNING: ../outside: artifact path is not a subpath of project directory");
  expect(build).toContain("WARNING: /etc/hostname: artifact path is not a subpath of project directory");
  expect(build).toContain("WARNING: missing/: no matching files. Ensure that the artifact path is relative to");
  expect(build).toContain("symbolic link(s) not collected");
  expect(build).toContain('Uploading artifacts as "archive" to coordinator... 201 Created');
  expect(build).toContain('Uploading artifacts as "dotenv" to coordinator... 201 Created');
  expect(logs.test).toContain(`Downloading artifacts for build (${run.jobs.build!.id})...`);
  expect(logs.test).toContain("tool ran");
  expect(logs.test).toContain("version=1.2.3");
  expect(logs.needs_build).toContain("needs saw 1.2.3");
  expect(logs.no_dependencies).not.toContain("Downloading artifacts for build");
  expect(logs.no_dependencies).toContain("no deps version=[]");
  expect(logs.need_without_artifacts).not.toContain("Downloading artifacts for build");

  // The API: the zip, byte-identical files in it, one file on its own, by ref and job name.
  const base = `/projects/${run.projectId}/jobs/${run.jobs.build!.id}`;
  const zipRes = await t.api(`${base}/artifacts`);
  expect(zipRes.status).toBe(200);
  expect(zipRes.headers.get("content-type")).toBe("application/zip");
  const files = unzipSync(new Uint8Array(await zipRes.arrayBuffer()));
  const names = Object.keys(files).sort();
  expect(names).toContain("out/random.bin");
  expect(names).toContain("out/sub/tool.sh");
  expect(names.some((n) => n.includes("scratch.log") || n.includes("link") || n.includes("passwd"))).toBe(false);
  const random = files["out/random.bin"]!;
  expect(random.length).toBe(300000);
  const digest = new Bun.CryptoHasher("sha256").update(random).digest("hex");
  expect(new TextDecoder().decode(files["out/random.sha"]!).trim()).toBe(digest);

  const one = await t.api(`${base}/artifacts/out/random.bin`);
  expect(one.status).toBe(200);
  expect(new Uint8Array(await one.arrayBuffer())).toEqual(random);
  const byRef = await t.api(`/projects/${run.projectId}/jobs/artifacts/main/raw/out/random.sha?job=build`);
  expect(byRef.status).toBe(200);
  expect((await byRef.text()).trim()).toBe(digest);
  const missing = await t.api(`${base}/artifacts/out/nope.txt`);
  expect(missing.status).toBe(404);
  expect((await t.api(`${base}/artifacts/out/%E0%A4%A.txt`)).status).toBe(404);
  expect((await t.api(`${base}/artifacts/..%2F..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  expect((await t.api(`/projects/${run.projectId}/jobs/artifacts/main/download?job=nope`)).status).toBe(404);

  const job = (await (await t.api(base)).json()) as Record<string, unknown>;
  expect(job.artifacts_file).toEqual({ filename: "artifacts.zip", size: expect.any(Number) });
  expect(job.artifacts_expire_at).toEqual(expect.any(String));
  const types = (job.artifacts as { file_type: string }[]).map((a) => a.file_type).sort();
  expect(types).toEqual(["archive", "dotenv", "trace"]);
}
