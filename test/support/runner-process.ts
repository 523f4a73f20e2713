// Runs `porthole runner` as a real process on a test host (its own network namespace and hostname).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { onHost, type TestHost } from "./netns.ts";

export interface RunnerProcess {
  host: TestHost;
  hostname: string;
  dataDir: string;
  output(): string;
  /** SIGKILL: the machine vanishes mid-job. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const MAIN = resolve(import.meta.dir, "../../src/main.ts");

export async function startRunnerProcess(
  host: TestHost,
  opts: { hostname: string; url: string; token: string; executor?: "shell" | "docker"; flags?: string[] },
): Promise<RunnerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), `porthole-${opts.hostname}-`));
  const argv = onHost(host, opts.hostname, [
    process.execPath,
    MAIN,
    "runner",
    "--url",
    opts.url,
    "--token",
    opts.token,
    "--data-dir",
    dataDir,
    "--runner-name",
    opts.hostname,
    "--runner-executor",
    opts.executor ?? "shell",
    "--runner-concurrent",
    "1",
    "--session-server-listen-address",
    `${host.address}:0`,
    ...(opts.flags ?? []),
  ]);
  const proc: Subprocess<"ignore", "pipe", "pipe"> = Bun.spawn(argv, {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dataDir },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  let text = "";
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  };
  const drained = Promise.all([collect(proc.stdout), collect(proc.stderr)]);
  const deadline = Date.now() + 30_000;
  while (!/runner \d+ online/.test(text)) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`porthole runner on ${host.ns} did not come online; output:\n${text}`);
    }
    await Bun.sleep(50);
  }
  return {
    host,
    hostname: opts.hostname,
    dataDir,
    output: () => text,
    async kill() {
      proc.kill("SIGKILL");
      await proc.exited;
    },
    async stop() {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
      await proc.exited;
      clearTimeout(timer);
      await drained;
    },
  };
}
