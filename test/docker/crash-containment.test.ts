// kill -9 of the server while silent Docker jobs run, and no restart: within seconds no job container (build or
// service) or network of that server remains, and its watchdog has exited; another server's containers stay.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { docker, noDocker } from "../support/docker-engine.ts";
import { type ServedPorthole, startServed } from "../support/served-porthole.ts";
import { eventually, waitFor } from "../support/wait.ts";

const FLAGS = ["--runner-executor", "docker", "--docker-pull-policy", "never", "--runner-concurrent", "3"];
const CI_CONFIG = [
  "silent-1:\n  image: porthole-test/busybox\n  script: [sleep 300]\n",
  "silent-2:\n  image: porthole-test/busybox\n  script: [sleep 300]\n",
  "with-service:\n  image: porthole-test/busybox\n  services: [{ name: porthole-test/httpd, alias: web }]\n  script: [sleep 300]\n",
].join("");

const byScope = (scope: string) => ({ all: true, filters: { label: [`porthole.scope=${scope}`] } });
const networksOf = (scope: string) => ({ filters: { label: [`porthole.scope=${scope}`] } });

const dirs: string[] = [];
const servers: ServedPorthole[] = [];
afterAll(async () => {
  for (const s of servers) await s.process.stop().catch(() => {});
  // What a failed run leaves (no watchdog removed it): this test's own servers' containers and networks only.
  for (const d of dirs) {
    for (const c of (await docker?.listContainers(byScope(d))) ?? [])
      await docker!.getContainer(c.Id).remove({ force: true });
    for (const n of (await docker?.listNetworks(networksOf(d))) ?? []) await docker!.getNetwork(n.Id).remove();
    rmSync(d, { recursive: true, force: true });
  }
});

async function startWithJobs(name: string): Promise<{ server: ServedPorthole; dataDir: string; watchdog: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), "porthole-containment-"));
  dirs.push(dataDir);
  const server = await startServed(dataDir, FLAGS);
  servers.push(server);
  const project = (await (
    await server.api("/projects", { method: "POST", json: { name, ci_config: CI_CONFIG } })
  ).json()) as { id: number };
  await server.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" } });
  await waitFor(
    "every job to be running in its container (4 containers: 3 builds and a service)",
    async () => (await docker!.listContainers(byScope(dataDir))).filter((c) => c.State === "running").length === 4,
    60_000,
  );
  const pid = /watchdog started.* pid=(\d+)/.exec(server.process.output())?.[1];
  return { server, dataDir, watchdog: Number(pid) };
}

describe.skipIf(noDocker)("crash containment of Docker jobs", () => {
  test("after kill -9 and no restart, the server's job containers and networks are removed within seconds", async () => {
    const bystander = await startWithJobs("bystander");
    const crashed = await startWithJobs("crashed");
    expect(await docker!.listNetworks(networksOf(crashed.dataDir))).toHaveLength(1);

    process.kill(crashed.server.process.pid, "SIGKILL");
    const started = performance.now();
    const gone = await eventually(
      async () =>
        (await docker!.listContainers(byScope(crashed.dataDir))).length === 0 &&
        (await docker!.listNetworks(networksOf(crashed.dataDir))).length === 0,
      15_000,
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    expect({ gone, seconds }).toMatchObject({ gone: true });
    console.log(`containers and network of the killed server removed ${seconds} s after kill -9`);
    expect(crashed.watchdog).toBeGreaterThan(0); // the server logged its watchdog's pid…
    expect(await eventually(() => !existsSync(`/proc/${crashed.watchdog}`), 5_000)).toBe(true); // …which is gone too

    // The other server on the same engine lost nothing.
    expect(
      (await docker!.listContainers(byScope(bystander.dataDir))).filter((c) => c.State === "running"),
    ).toHaveLength(4);
    expect(existsSync(`/proc/${bystander.watchdog}`)).toBe(true);
  }, 120_000);

  test("a clean stop leaves no container and no watchdog", async () => {
    const { server, dataDir, watchdog } = await startWithJobs("clean");
    const code = await server.process.stop();
    // The server's own lines say where a slow stop spent its time (once, under a parallel suite, it took over 10 s).
    expect({ code, output: code === 0 ? "" : server.process.output() }).toEqual({ code: 0, output: "" });
    expect(await docker!.listContainers(byScope(dataDir))).toHaveLength(0);
    expect(await eventually(() => !existsSync(`/proc/${watchdog}`), 5_000)).toBe(true);
  }, 120_000);
});
