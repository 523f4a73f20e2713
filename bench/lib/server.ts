// Starts `porthole serve` from source as a child process on a fresh data dir, with an API token for root.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanEnv } from "../../src/cli/cli.testing.ts";
import { startServeProcess } from "../../test/support/serve-process.ts";

export const REPO_ROOT = join(import.meta.dir, "../..");
export const MAIN = join(REPO_ROOT, "src/main.ts");

export interface BenchServer {
  url: string;
  pid: number;
  token: string;
  /** JSON API call with root's token; throws on a non-2xx answer, naming the path and status. */
  api<T>(method: string, path: string, json?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/**
 * `extraArgs` are serve flags, e.g. `["--runner-concurrent", "4"]`; `root` is the source tree to run (another
 * commit's, see baseline.ts).
 */
export async function startBenchServer(extraArgs: string[] = [], root = REPO_ROOT): Promise<BenchServer> {
  const main = join(root, "src/main.ts");
  const dataDir = mkdtempSync(join(tmpdir(), "porthole-bench-"));
  const env = cleanEnv({ PORTHOLE_ROOT_PASSWORD: "bench-root-password" });
  const serve = await startServeProcess(
    [process.execPath, main, "serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir, ...extraArgs],
    {
      cwd: root, // bun reads tsconfig.json (JSX settings for the UI's .tsx) from the working directory
      env,
    },
  );
  const tokenRun = Bun.spawnSync([process.execPath, main, "token", "create", "--user", "root", "--data-dir", dataDir], {
    cwd: root,
    env,
  });
  if (tokenRun.exitCode !== 0) throw new Error(`token create failed: ${tokenRun.stderr.toString()}`);
  const token = tokenRun.stdout.toString().trim();
  return {
    url: serve.url,
    pid: serve.pid,
    token,
    async api<T>(method: string, path: string, json?: unknown): Promise<T> {
      const headers: Record<string, string> = { "PRIVATE-TOKEN": token };
      if (json !== undefined) headers["Content-Type"] = "application/json";
      const response = await fetch(`${serve.url}/api/v4${path}`, {
        method,
        headers,
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    async stop() {
      await serve.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
