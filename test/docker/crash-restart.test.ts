// kill -9 of the server and its watchdog during a Docker job, then a restart: the container is swept and the job failed, saying why.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { docker, noDocker, ofJob } from "../support/docker-engine.ts";
import { type ServeProcess, startServeProcess } from "../support/serve-process.ts";
import { waitFor } from "../support/wait.ts";

const repoRoot = resolve(import.meta.dir, "../..");
const dataDir = mkdtempSync(join(tmpdir(), "porthole-crash-"));
const env = {
  PATH: process.env.PATH!,
  HOME: dataDir,
  PORTHOLE_DATA_DIR: dataDir,
  PORTHOLE_RUNNER_EXECUTOR: "docker",
  PORTHOLE_DOCKER_PULL_POLICY: "never",
  PORTHOLE_ROOT_PASSWORD: "crash-test-password",
};
const serve = () =>
  startServeProcess([process.execPath, join(repoRoot, "src/main.ts"), "serve", "--listen", "127.0.0.1:0"], {
    cwd: dataDir,
    env,
  });
let server: ServeProcess | undefined;

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(noDocker)("server crash during a Docker job", () => {
  test("after kill -9 and a restart, the leftover container is removed and the job failed with a line saying why", async () => {
    server = await serve();
    const token = Bun.spawnSync(
      [process.execPath, join(repoRoot, "src/main.ts"), "token", "create", "--user", "root"],
      { cwd: dataDir, env },
    )
      .stdout.toString()
      .trim();
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${server!.url}/api/v4${path}`, {
        ...init,
        headers: { "PRIVATE-TOKEN": token, "Content-Type": "application/json" },
      });
    const created = await api("/projects", {
      method: "POST",
      body: JSON.stringify({
        name: "crash",
        ci_config: "long:\n  image: porthole-test/busybox\n  script: [echo started, sleep 300]\n",
      }),
    });
    const { id: projectId } = (await created.json()) as { id: number };
    const pipelineRes = await api(`/projects/${projectId}/pipeline`, {
      method: "POST",
      body: JSON.stringify({ ref: "main" }),
    });
    expect(pipelineRes.status).toBe(201);
    const pipeline = (await pipelineRes.json()) as { id: number };
    const [job] = (await (await api(`/projects/${projectId}/pipelines/${pipeline.id}/jobs`)).json()) as {
      id: number;
    }[];
    const byJob = { all: true, ...ofJob(dataDir, job!.id) };
    await waitFor(
      "the job's script to start",
      async () => (await (await api(`/projects/${projectId}/jobs/${job!.id}/trace`)).text()).includes("started"),
      60_000,
    );
    expect((await docker!.listContainers(byJob)).length).toBeGreaterThan(0);

    // Both the server and its watchdog die (as when a whole process group is killed): the sweep at the next start
    // is the fallback (crash-containment.test.ts covers the watchdog).
    const watchdog = Number(/watchdog started.* pid=(\d+)/.exec(server.output())?.[1]);
    expect(watchdog).toBeGreaterThan(0);
    process.kill(watchdog, "SIGKILL");
    process.kill(server.pid, "SIGKILL");
    await Bun.sleep(200);
    expect((await docker!.listContainers(byJob)).length).toBeGreaterThan(0); // the container outlived the server

    server = await serve();
    await waitFor(
      "the leftover container to be removed",
      async () => (await docker!.listContainers(byJob)).length === 0,
      15_000,
    );
    const after = (await (await api(`/projects/${projectId}/jobs/${job!.id}`)).json()) as {
      status: string;
      failure_reason: string;
    };
    expect(after).toMatchObject({ status: "failed", failure_reason: "runner_system_failure" });
    const trace = await (await api(`/projects/${projectId}/jobs/${job!.id}/trace`)).text();
    expect(trace).toContain("ERROR: Job failed: the porthole server stopped while the job was running");
  }, 120_000);
});
