// Waits until each service listens on its exposed ports (GitLab's "Waiting for services"); warns, never fails the job.

import { connect } from "node:net";
import type Dockerode from "dockerode";
import type { OutputSink } from "../types.ts";
import type { StartedService } from "./services.ts";

type Probe = "open" | "refused" | "unreachable";

/**
 * For every service, waits until a TCP connection to each of its exposed ports (on the job's network) succeeds,
 * for at most `timeoutMs` in all. A service that exited, or did not answer in time, gets GitLab's warning with its
 * logs. Only for a local engine: the job network's addresses are reachable from this machine only then.
 */
export async function waitForServices(
  services: StartedService[],
  network: string,
  out: OutputSink,
  signal: AbortSignal,
  timeoutMs = 30_000,
): Promise<void> {
  if (services.length === 0) return;
  out.info(`Waiting for services to be up and running (timeout ${Math.round(timeoutMs / 1000)} seconds)...`);
  const deadline = Date.now() + timeoutMs;
  await Promise.all(
    services.map(async (service) => {
      const problem = await serviceProblem(service, network, deadline, signal);
      if (problem && !signal.aborted) await warn(service, problem, out);
    }),
  );
}

async function serviceProblem(service: StartedService, network: string, deadline: number, signal: AbortSignal) {
  const info = await service.container.inspect().catch(() => undefined);
  if (!info) return "the service container is gone";
  const address = Object.entries(info.NetworkSettings.Networks).find(
    ([name, net]) => name === network || net.NetworkID === network,
  )?.[1]?.IPAddress;
  const ports = Object.keys(info.Config.ExposedPorts ?? {})
    .filter((p) => p.endsWith("/tcp"))
    .map((p) => Number.parseInt(p, 10));
  for (const port of ports) {
    while (true) {
      const state = await service.container.inspect().catch(() => undefined);
      if (!state?.State.Running)
        return `the service container exited (exit code ${state?.State.ExitCode ?? "unknown"})`;
      if (!address) return "the service container has no address on the job's network";
      const probe = await probeTcp(address, port);
      if (probe === "open") break;
      if (probe === "unreachable") return `cannot reach ${address}:${port} from the runner`;
      if (Date.now() > deadline) return `service "${address}:${port}" timeout`;
      if (signal.aborted) return undefined;
      await Bun.sleep(200);
    }
  }
  return undefined;
}

function probeTcp(host: string, port: number): Promise<Probe> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    const finish = (result: Probe) => {
      socket.destroy();
      resolve(result);
    };
    socket.once("connect", () => finish("open"));
    socket.once("timeout", () => finish("unreachable"));
    socket.once("error", (error: NodeJS.ErrnoException) =>
      finish(error.code === "ECONNREFUSED" ? "refused" : "unreachable"),
    );
  });
}

async function warn(service: StartedService, problem: string, out: OutputSink): Promise<void> {
  const name = service.spec.name;
  out.info(`*** WARNING: Service ${name} probably didn't start properly.`);
  out.info("");
  out.info(`Health check error:\n${problem}`);
  out.info("");
  out.info("Service container logs:");
  out.info(await containerLogs(service.container));
  out.info("*********");
}

/** The last lines a container printed (stdout and stderr), for warnings and failure messages. */
export async function containerLogs(container: Dockerode.Container, lines = 20): Promise<string> {
  try {
    const raw = await container.logs({ stdout: true, stderr: true, tail: lines, follow: false });
    return demuxed(raw as Buffer).trimEnd();
  } catch {
    return "(no logs)";
  }
}

function demuxed(buffer: Buffer): string {
  const parts: Buffer[] = [];
  for (let offset = 0; offset + 8 <= buffer.length; ) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString("utf8");
}
