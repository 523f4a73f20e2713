// Starts `porthole runner` from source as a child process for a bench server: a fresh instance runner (tagged, not
// running untagged jobs) on loopback, shell executor, its session server on 127.0.0.1.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanEnv } from "../../src/cli/cli.testing.ts";
import { type BenchServer, MAIN, REPO_ROOT } from "./server.ts";

export interface BenchRunner {
  id: number;
  output(): string;
  stop(): Promise<void>;
}

export async function startBenchRunner(
  server: BenchServer,
  opts: { name: string; tags: string[]; concurrent: number },
): Promise<BenchRunner> {
  const made = await server.api<{ id: number; token: string }>("POST", "/user/runners", {
    runner_type: "instance_type",
    description: opts.name,
    tag_list: opts.tags.join(","),
    run_untagged: false,
  });
  const dataDir = mkdtempSync(join(tmpdir(), `porthole-bench-${opts.name}-`));
  const proc = Bun.spawn(
    [
      process.execPath,
      MAIN,
      "runner",
      "--url",
      server.url,
      "--token",
      made.token,
      "--data-dir",
      dataDir,
      "--runner-name",
      opts.name,
      "--runner-executor",
      "shell",
      "--runner-concurrent",
      String(opts.concurrent),
      "--session-server-listen-address",
      "127.0.0.1:0",
    ],
    { cwd: REPO_ROOT, env: cleanEnv({ HOME: dataDir }), stdin: "ignore", stdout: "pipe", stderr: "pipe" },
  );
  let text = "";
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  };
  const drained = Promise.all([collect(proc.stdout), collect(proc.stderr)]);
  const stop = async () => {
    if (proc.exitCode === null) proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
    await proc.exited;
    clearTimeout(timer);
    await drained;
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (const deadline = Date.now() + 30_000; !/runner \d+ online/.test(text); await Bun.sleep(50)) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`porthole runner ${opts.name} did not come online; output:\n${text}`);
    }
  }
  return { id: made.id, output: () => text, stop };
}
