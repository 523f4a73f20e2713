// Two `porthole runner` processes on two test hosts (network namespaces) serving one porthole: jobs spread, the
// Debug terminal proxied to the runner's session server, a killed runner, a network blip, a foreign certificate.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { eq } from "drizzle-orm";
import { createPersonalAccessToken } from "../../src/auth/tokens.ts";
import { spawnPty } from "../../src/pty/spawn-pty.ts";
import { selfSignedCertificate } from "../../src/runner/remote/self-signed.ts";
import { jobs, runners, users } from "../../src/store/schema.ts";
import { noDocker } from "../support/docker-engine.ts";
import { makeRepo } from "../support/git-repo.ts";
import { blip, createTestHosts, netnsUnavailable, type TestHost } from "../support/netns.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { type RunnerProcess, startRunnerProcess } from "../support/runner-process.ts";
import { TerminalClient, terminalWsUrl } from "../support/terminal-client.ts";
import { createProject, json } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

const unavailable = netnsUnavailable();
if (unavailable && process.env.PORTHOLE_REQUIRE_NETNS === "1") {
  throw new Error(`PORTHOLE_REQUIRE_NETNS=1 but ${unavailable}`);
}
if (unavailable) console.warn(`skipping remote runner tests: ${unavailable}`);

type Job = { id: number; name: string; status: string; failure_reason?: string; runner?: { id: number } | null };

let t: TestPorthole;
let net: ReturnType<typeof createTestHosts>;
let hosts: TestHost[];
const procs: RunnerProcess[] = [];
let runnerA: RunnerProcess;
let runnerB: RunnerProcess;
const ids: Record<string, number> = {};

async function newRunner(description: string, tags: string[]): Promise<string> {
  const made = await json<{ id: number; token: string }>(
    t.api("/user/runners", {
      method: "POST",
      json: { runner_type: "instance_type", description, tag_list: tags.join(","), run_untagged: true },
    }),
  );
  ids[description] = made.id;
  return made.token;
}

async function pipelineJobs(projectId: number, pipelineId: number): Promise<Job[]> {
  return json<Job[]>(t.api(`/projects/${projectId}/pipelines/${pipelineId}/jobs?per_page=100`));
}

async function startPipeline(name: string, yaml: string, variables: Record<string, string> = {}) {
  const project = await createProject(t, name, yaml);
  for (const [key, value] of Object.entries(variables))
    await json(t.api(`/projects/${project.id}/variables`, { method: "POST", json: { key, value, masked: true } }));
  const pipeline = await json<{ id: number }>(
    t.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" } }),
  );
  started.push({ projectId: project.id, pipelineId: pipeline.id });
  return { project, pipelineId: pipeline.id };
}

/** Pipelines this file started: each test cancels what it left running, so a failure does not block the runners. */
const started: { projectId: number; pipelineId: number }[] = [];

const trace = async (projectId: number, jobId: number) =>
  (await t.api(`/projects/${projectId}/jobs/${jobId}/trace`)).text();
const runnerOf = (jobId: number) =>
  t.porthole.store.db.select({ runnerId: jobs.runnerId }).from(jobs).where(eq(jobs.id, jobId)).get()?.runnerId;

describe.skipIf(unavailable !== null)("porthole runner on separate hosts", () => {
  beforeAll(async () => {
    net = createTestHosts(2);
    hosts = net.hosts;
    t = await startTestPorthole({
      listen: `${hosts[0]!.gateway}:0`,
      runner: { enabled: false },
      // A short lease: a killed runner's job fails in seconds (the default, 50 s, keeps the 60 s bound), and
      // runners are told to call every 2 s, so a cancel between tests frees a runner at once.
      runner_api: { long_poll_timeout: 5, lease_timeout: 6 },
      session_server: { session_timeout: 60 },
    } as Parameters<typeof startTestPorthole>[0]);
    const tokenA = await newRunner("runner-a", ["a"]);
    const tokenB = await newRunner("runner-b", ["b"]);
    [runnerA, runnerB] = await Promise.all([
      startRunnerProcess(hosts[0]!, { hostname: "ph-host-a", url: t.url, token: tokenA }),
      startRunnerProcess(hosts[1]!, {
        hostname: "ph-host-b",
        url: t.url,
        token: tokenB,
        flags: ["--log-level", "debug"],
      }),
    ]);
    procs.push(runnerA, runnerB);
  }, 90_000);

  afterEach(async () => {
    for (const { projectId, pipelineId } of started.splice(0))
      await t.api(`/projects/${projectId}/pipelines/${pipelineId}/cancel`, { method: "POST" });
  });

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop().catch(() => {})));
    await t?.stop();
    net?.remove();
    for (const p of procs) rmSync(p.dataDir, { recursive: true, force: true });
  }, 60_000);

  test("GET /runners shows both runners online", async () => {
    const listed = await json<{ id: number; description: string; status: string; online: boolean }[]>(
      t.api("/runners"),
    );
    const mine = listed.filter((r) => r.id === ids["runner-a"] || r.id === ids["runner-b"]);
    expect(mine.map((r) => [r.description, r.status, r.online]).sort()).toEqual([
      ["runner-a", "online", true],
      ["runner-b", "online", true],
    ]);
  });

  test("a 3-stage pipeline is spread across both runners and succeeds", async () => {
    const job = (stage: string, n: number) =>
      `${stage}-${n}:\n  stage: ${stage}\n  script:\n    - echo "ran-on=$(hostname) dir=$CI_PROJECT_DIR"\n    - sleep 1\n`;
    const yaml = `stages: [one, two, three]\n${["one", "two", "three"].flatMap((s) => [job(s, 1), job(s, 2)]).join("")}`;
    const { project, pipelineId } = await startPipeline("spread", yaml);
    const pipeline = await waitFor(
      "the pipeline to finish",
      async () => {
        const p = await json<{ status: string }>(t.api(`/projects/${project.id}/pipelines/${pipelineId}`));
        return ["success", "failed", "canceled"].includes(p.status) && p;
      },
      120_000,
    );
    const all = await pipelineJobs(project.id, pipelineId);
    const hostsSeen = new Set<string>();
    for (const j of all) hostsSeen.add((await trace(project.id, j.id)).match(/ran-on=(ph-[\w-]+)/)?.[1] ?? "none");
    expect({ status: pipeline.status, jobs: all.map((j) => j.status) }).toEqual({
      status: "success",
      jobs: all.map(() => "success"),
    });
    expect([...hostsSeen].sort()).toEqual(["ph-host-a", "ph-host-b"]);
    expect(new Set(all.map((j) => runnerOf(j.id)))).toEqual(new Set([ids["runner-a"], ids["runner-b"]]));
  }, 150_000);

  test("a Debug terminal on runner B's job lands in B's job environment, holds the job, and a second viewer sees it", async () => {
    const yaml = `debug-b:\n  tags: [b]\n  script:\n    - while [ ! -f go ]; do sleep 0.1; done\n    - echo script-finished\n`;
    const { project, pipelineId } = await startPipeline("debug-remote", yaml, { DEBUG_SECRET: "s3cr3t-value-4711" });
    const [job] = await pipelineJobs(project.id, pipelineId);
    await waitFor(
      "the job's script to start",
      async () => (await trace(project.id, job!.id)).includes('Executing "step_script"'),
      60_000,
    );
    expect(runnerOf(job!.id)).toBe(ids["runner-b"]);
    const url = terminalWsUrl(t.url, `/${project.path}/-/jobs/${job!.id}`);
    const writer = new TerminalClient(url, { token: t.rootToken });
    await writer.opened;
    await writer.control("hello");
    writer.type('echo "H=$(hostname) D=$CI_PROJECT_DIR" | tr a-z A-Z\n');
    const [, host, dir] = await writer.until(/H=(PH-[\w-]+) D=(\/\S+)/);
    expect(host).toBe("PH-HOST-B");
    expect(dir).toBe(`${runnerB.dataDir}/builds/0/${project.path}`.toUpperCase());
    writer.type("touch go\n");
    await waitFor("the hold", async () => (await trace(project.id, job!.id)).includes("Terminal is connected"), 30_000);
    const viewer = new TerminalClient(url, { token: t.rootToken, query: { mode: "ro" } });
    await viewer.opened;
    expect((await viewer.control("hello")).mode).toBe("ro");
    await viewer.until(/H=PH-HOST-B/); // the late joiner gets the screen so far
    writer.type('echo "still-$((40+2)) secret=$DEBUG_SECRET"\n');
    await viewer.until(/still-42/);
    const status = await json<{ status: string }>(t.api(`/projects/${project.id}/jobs/${job!.id}`));
    expect(status.status).toBe("running"); // held after the script
    await writer.close();
    await viewer.close();
    const done = await waitFor(
      "the job to end after the last terminal closed",
      async () => {
        const j = await json<{ status: string }>(t.api(`/projects/${project.id}/jobs/${job!.id}`));
        return j.status !== "running" && j;
      },
      30_000,
    );
    expect(done.status).toBe("success");
    const sessions = await json<{ id: number; close_reason?: string }[]>(
      t.api(`/projects/${project.id}/terminal_sessions`),
    );
    expect(sessions.length).toBe(2); // both connections audited on the server
    const cast = await (await t.api(`/projects/${project.id}/terminal_sessions/${sessions[0]!.id}/recording`)).text(); // recorded on the server, with the project's masked value hidden
    expect(cast).toContain("still-42 secret=[MASKED]");
    expect(cast).not.toContain("s3cr3t-value-4711");
  }, 120_000);

  test("revoking the token a proxied terminal was opened with closes it (4003), as for embedded jobs", async () => {
    const yaml = `revoked:\n  tags: [b]\n  script:\n    - while [ ! -f go ]; do sleep 0.1; done\n`;
    const { project, pipelineId } = await startPipeline("revoked-remote", yaml);
    const [job] = await pipelineJobs(project.id, pipelineId);
    await waitFor(
      "the job's script to start",
      async () => (await trace(project.id, job!.id)).includes('Executing "step_script"'),
      60_000,
    );
    const root = t.porthole.store.db.select().from(users).where(eq(users.username, "root")).get()!;
    const { token } = createPersonalAccessToken(t.porthole.store.db, {
      userId: root.id,
      name: "short",
      scopes: ["api"],
    });
    const client = new TerminalClient(terminalWsUrl(t.url, `/${project.path}/-/jobs/${job!.id}`), { token });
    await client.opened;
    client.type("echo before-revoke-$((3*3))\n");
    await client.until(/before-revoke-9/);
    const revoked = await t.api("/personal_access_tokens/self", { method: "DELETE", token });
    expect(revoked.status).toBe(204);
    const closed = await Promise.race([client.closed, Bun.sleep(10_000).then(() => null)]);
    expect(closed?.code).toBe(4003);
  }, 90_000);

  test("porthole attach opens the terminal of a job on runner B through the server; the window size crosses the hop", async () => {
    const yaml = `attached:\n  tags: [b]\n  script:\n    - while [ ! -f go ]; do sleep 0.1; done\n`;
    const { project, pipelineId } = await startPipeline("attach-remote", yaml);
    const [job] = await pipelineJobs(project.id, pipelineId);
    await waitFor(
      "the job's script to start",
      async () => (await trace(project.id, job!.id)).includes('Executing "step_script"'),
      60_000,
    );
    const pty = spawnPty(
      [
        process.execPath,
        `${import.meta.dir}/../../src/main.ts`,
        "attach",
        `${t.url}/${project.path}/-/jobs/${job!.id}`,
      ],
      {
        cwd: import.meta.dir,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: "/tmp", PORTHOLE_TOKEN: t.rootToken },
        cols: 100,
        rows: 30,
      },
    );
    let text = "";
    pty.onData((b) => (text += Buffer.from(b).toString("latin1")));
    const exited = new Promise<number | null>((resolve) => pty.onExit(resolve));
    await waitFor("the prompt", async () => /[#$] $/.test(text), 20_000);
    pty.write("echo host''=$(hostname); stty size\r");
    await waitFor("the runner's hostname and the size", async () => /host=ph-host-b[\s\S]*30 100/.test(text), 20_000);
    pty.write("\x1d");
    expect(await exited).toBe(0);
    await pty.close();
  }, 90_000);

  test("a remote runner clones the project over smart HTTP with the job token, at the pipeline's commit", async () => {
    const repo = makeRepo({
      ".gitlab-ci.yml": `from-git:\n  tags: [b]\n  script:\n    - echo "content=$(cat hello.txt)"\n    - echo "head=$(git rev-parse HEAD)"\n`,
      "hello.txt": "hello from the repository",
    });
    const project = await json<{ id: number }>(
      t.api("/projects", { method: "POST", json: { name: "remote-git", import_url: repo.dir } }),
    );
    const pipeline = await json<{ id: number; sha: string }>(
      t.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" } }),
    );
    started.push({ projectId: project.id, pipelineId: pipeline.id });
    const [job] = await pipelineJobs(project.id, pipeline.id);
    const done = await waitFor(
      "the job to end",
      async () => {
        const j = await json<{ status: string }>(t.api(`/projects/${project.id}/jobs/${job!.id}`));
        return j.status !== "running" && j.status !== "pending" && j;
      },
      90_000,
    );
    const log = await trace(project.id, job!.id);
    expect({ status: done.status, runner: runnerOf(job!.id) }).toEqual({ status: "success", runner: ids["runner-b"] });
    expect(log).toMatch(/^content=hello from the repository/m);
    expect(log).toMatch(new RegExp(`^head=${repo.sha}`, "m"));
    expect(log).not.toMatch(/glcbt-[A-Za-z0-9_-]{8,}/); // the job token in the clone URL never shows
    rmSync(repo.dir, { recursive: true, force: true });
  }, 120_000);

  test("caches stay on the remote runner: a later job on it restores what an earlier one saved", async () => {
    const yaml = `stages: [one, two]\ndefault:\n  tags: [b]\n  cache:\n    key: remote-deps\n    paths: [kept/]\nsave:\n  stage: one\n  script:\n    - mkdir -p kept && echo "from-the-first-job" > kept/file\nrestore:\n  stage: two\n  script:\n    - echo "cached=$(cat kept/file)"\n`;
    const { project, pipelineId } = await startPipeline("remote-cache", yaml);
    await waitFor(
      "the pipeline to finish",
      async () => {
        const p = await json<{ status: string }>(t.api(`/projects/${project.id}/pipelines/${pipelineId}`));
        return ["success", "failed", "canceled"].includes(p.status) && p;
      },
      90_000,
    );
    const restore = (await pipelineJobs(project.id, pipelineId)).find((j) => j.name === "restore")!;
    expect(restore.status).toBe("success");
    expect(await trace(project.id, restore.id)).toMatch(/^cached=from-the-first-job/m);
  }, 120_000);

  test("artifacts travel through the server: a job on runner B gets what a job on runner A built", async () => {
    const yaml = `stages: [build, test]\nbuild:\n  stage: build\n  tags: [a]\n  script:\n    - mkdir -p out && echo "built-on-$(hostname)" > out/file\n  artifacts:\n    paths: [out/]\nuse:\n  stage: test\n  tags: [b]\n  script:\n    - echo "got=$(cat out/file) on=$(hostname)"\n`;
    const { project, pipelineId } = await startPipeline("remote-artifacts", yaml);
    await waitFor(
      "the pipeline to finish",
      async () => {
        const p = await json<{ status: string }>(t.api(`/projects/${project.id}/pipelines/${pipelineId}`));
        return ["success", "failed", "canceled"].includes(p.status) && p;
      },
      90_000,
    );
    const use = (await pipelineJobs(project.id, pipelineId)).find((j) => j.name === "use")!;
    expect(await trace(project.id, use.id)).toMatch(/^got=built-on-ph-host-a on=ph-host-b/m);
  }, 120_000);

  test("a session server presenting another certificate than the registered one is refused", async () => {
    const yaml = `pinned:\n  tags: [b]\n  script:\n    - while [ ! -f go ]; do sleep 0.1; done\n`;
    const { project, pipelineId } = await startPipeline("pinned-cert", yaml);
    const [job] = await pipelineJobs(project.id, pipelineId);
    await waitFor(
      "the job's script to start",
      async () => (await trace(project.id, job!.id)).includes('Executing "step_script"'),
      60_000,
    );
    const other = await selfSignedCertificate([hosts[1]!.address]);
    t.porthole.store.db.update(jobs).set({ sessionCertificate: other.cert }).where(eq(jobs.id, job!.id)).run();
    const client = new TerminalClient(terminalWsUrl(t.url, `/${project.path}/-/jobs/${job!.id}`), {
      token: t.rootToken,
    });
    const closed = await client.closed;
    expect(closed).toEqual({ code: 1011, reason: "no_terminal" });
    expect(client.text).toBe(""); // not one byte of the job's shell
    await t.api(`/projects/${project.id}/jobs/${job!.id}/cancel`, { method: "POST" });
  }, 90_000);

  test("a network blip between runner B and the server neither loses nor duplicates log bytes", async () => {
    const yaml = `counting:\n  tags: [b]\n  script:\n    - for i in $(seq 1 50); do echo "line-$i"; sleep 0.1; done\n`;
    const { project, pipelineId } = await startPipeline("blip", yaml);
    const [job] = await pipelineJobs(project.id, pipelineId);
    await waitFor("the first lines", async () => (await trace(project.id, job!.id)).includes("line-5"), 60_000);
    await blip(hosts[1]!, hosts[0]!.gateway, 2000); // shorter than the lease (6 s): the job must survive it
    const done = await waitFor(
      "the job to end",
      async () => {
        const j = await json<{ status: string }>(t.api(`/projects/${project.id}/jobs/${job!.id}`));
        return j.status !== "running" && j.status !== "pending" && j;
      },
      90_000,
    );
    expect(done.status).toBe("success");
    const lines = [...(await trace(project.id, job!.id)).matchAll(/line-(\d+)/g)].map((m) => m[0]);
    // The blip made the runner's log calls fail and go again (its log says so), and the log is still whole.
    expect(runnerB.output()).toMatch(/sending the log of job \d+ failed; retrying/);
    expect(lines).toEqual(Array.from({ length: 50 }, (_, i) => `line-${i + 1}`));
  }, 150_000);

  test("kill -9 of runner A mid-job fails its job with runner_system_failure; with retry: 1 it then succeeds on B", async () => {
    // B pauses while A takes the job, so that the first attempt runs on A (a held request of B's gets no job).
    t.porthole.store.db.update(runners).set({ paused: true }).where(eq(runners.id, ids["runner-b"]!)).run();
    const yaml = `flaky-host:\n  retry: 1\n  script:\n    - echo "attempt-on=$(hostname)"\n    - if [ "$(hostname)" = ph-host-a ]; then sleep 60; fi\n`; // A dies mid-job; B's try is quick
    const { project, pipelineId } = await startPipeline("killed-runner", yaml);
    const [first] = await pipelineJobs(project.id, pipelineId);
    await waitFor(
      "the job on A",
      async () => (await trace(project.id, first!.id)).includes("attempt-on=ph-host-a"),
      60_000,
    );
    t.porthole.store.db.update(runners).set({ paused: false }).where(eq(runners.id, ids["runner-b"]!)).run();
    const killedAt = Date.now();
    await runnerA.kill();
    const failed = await waitFor(
      "the job to fail",
      async () => {
        const j = await json<Job>(t.api(`/projects/${project.id}/jobs/${first!.id}`));
        return j.status === "failed" && j;
      },
      70_000,
    );
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    expect(failed.failure_reason).toBe("runner_system_failure");
    expect(await trace(project.id, first!.id)).toContain("The runner stopped responding: no update for 6 s");
    const retried = await waitFor(
      "the retry to finish",
      async () => {
        const all = await pipelineJobs(project.id, pipelineId);
        const again = all.find((j) => j.id !== first!.id);
        return again && again.status !== "pending" && again.status !== "running" && again;
      },
      90_000,
    );
    expect(retried.status).toBe("success");
    expect(await trace(project.id, retried.id)).toContain("attempt-on=ph-host-b");
  }, 200_000);

  test.skipIf(noDocker)(
    "a Docker-executor job works on a remote runner",
    async () => {
      const token = await newRunner("runner-docker", ["docker"]);
      const runnerC = await startRunnerProcess(hosts[0]!, {
        hostname: "ph-host-c",
        url: t.url,
        token,
        executor: "docker",
        flags: ["--docker-default-image", "porthole-test/busybox", "--docker-pull-policy", "if-not-present"],
      });
      procs.push(runnerC);
      const yaml = `in-docker:\n  tags: [docker]\n  image: porthole-test/busybox\n  script:\n    - test -f /.dockerenv && echo "inside-a-container"\n    - cd "$CI_PROJECT_DIR" && echo "workdir=$(pwd)"\n    - while [ ! -f go ]; do sleep 0.1; done\n`;
      const { project, pipelineId } = await startPipeline("docker-remote", yaml);
      const [job] = await pipelineJobs(project.id, pipelineId);
      await waitFor("the script", async () => (await trace(project.id, job!.id)).includes("workdir="), 90_000);
      // Its Debug terminal, through the server, is a shell in the job's container on runner C's engine.
      const client = new TerminalClient(terminalWsUrl(t.url, `/${project.path}/-/jobs/${job!.id}`), {
        token: t.rootToken,
      });
      await client.opened;
      client.type("test -f /.dockerenv && echo container-$((6*7)) in $(pwd); touch go\n");
      await client.until(/container-42 in \/\S+/);
      await client.close(); // the runner's hold ends with the last terminal
      const done = await waitFor(
        "the Docker job to end",
        async () => {
          const j = await json<{ status: string }>(t.api(`/projects/${project.id}/jobs/${job!.id}`));
          return j.status !== "running" && j.status !== "pending" && j;
        },
        120_000,
      );
      const log = await trace(project.id, job!.id);
      expect({ status: done.status, runner: runnerOf(job!.id) }).toEqual({
        status: "success",
        runner: ids["runner-docker"],
      });
      expect(log).toContain('Preparing the "docker" executor');
      expect(log).toMatch(/^inside-a-container/m);
      expect(log).toMatch(new RegExp(`^workdir=\\S+/${project.path}`, "m"));
    },
    150_000,
  );
});
