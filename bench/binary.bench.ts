// The single binary against `bun src/main.ts serve`: file size, exec to first HTTP 200, idle memory.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanEnv } from "../src/cli/cli.testing.ts";
import { freeLoopbackPort } from "./lib/free-port.ts";
import { MAIN, REPO_ROOT } from "./lib/server.ts";
import { median, round } from "./lib/stats.ts";
import type { Bench, Metric } from "./lib/types.ts";

const RUNS = 10;
const BINARY = join(REPO_ROOT, "dist/porthole");
const env = cleanEnv({ PORTHOLE_ROOT_PASSWORD: "bench-root-password" });

interface Started {
  readyMs: number;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Spawns `command serve` on a known port and polls /api/v4/version until it answers: 200 with `token`; without
 * one (a new database has no token yet) the first answer is GitLab's 401, which proves the API is serving.
 */
async function startAndTime(command: string[], dataDir: string, token?: string): Promise<Started> {
  const port = freeLoopbackPort();
  const url = `http://127.0.0.1:${port}/api/v4/version`;
  const started = performance.now();
  const args = [...command, "serve", "--listen", `127.0.0.1:${port}`, "--data-dir", dataDir];
  const proc = Bun.spawn(args, { cwd: REPO_ROOT, env, stdout: "ignore", stderr: "pipe" });
  const headers: Record<string, string> = token ? { "PRIVATE-TOKEN": token } : {};
  const expected = token ? 200 : 401;
  let exited = false;
  void proc.exited.then(() => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error(`${command.join(" ")} serve exited early: ${await new Response(proc.stderr).text()}`);
    if (performance.now() - started > 30_000) throw new Error(`${command.join(" ")} serve: no 200 within 30 s`);
    const ok = await fetch(url, { headers }).then(
      (r) => r.status === expected,
      () => false,
    );
    if (ok) break;
    await Bun.sleep(2);
  }
  const readyMs = performance.now() - started;
  const stop = async () => {
    proc.kill("SIGTERM");
    await proc.exited;
  };
  return { readyMs, pid: proc.pid, stop };
}

function createToken(command: string[], dataDir: string): string {
  const run = Bun.spawnSync([...command, "token", "create", "--user", "root", "--data-dir", dataDir], {
    cwd: REPO_ROOT,
    env,
  });
  if (run.exitCode !== 0) throw new Error(`token create: ${run.stderr.toString()}`);
  return run.stdout.toString().trim();
}

function rssMegabytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB$/m);
  if (!line) throw new Error(`no VmRSS for ${pid}`);
  return Number(line[1]) / 1024;
}

async function measure(command: string[]) {
  const workDir = mkdtempSync(join(tmpdir(), "porthole-bench-binary-"));
  try {
    const existing = join(workDir, "existing");
    await (await startAndTime(command, existing)).stop(); // migrate and create root once
    const token = createToken(command, existing);
    const ready: number[] = [];
    const readyNewDb: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const warm = await startAndTime(command, existing, token);
      ready.push(warm.readyMs);
      await warm.stop();
      const fresh = await startAndTime(command, join(workDir, `new-${i}`));
      readyNewDb.push(fresh.readyMs);
      await fresh.stop();
    }
    const idle = await startAndTime(command, existing, token);
    await Bun.sleep(2000);
    const rss = rssMegabytes(idle.pid);
    await idle.stop();
    return { ready: median(ready), readyNewDb: median(readyNewDb), rss };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

const bench: Bench = {
  name: "binary",
  description: `dist/porthole vs bun src/main.ts serve: size, exec → first 200 on /api/v4/version (median of ${RUNS}), RSS after 2 s idle`,
  async run() {
    const build = Bun.spawnSync([process.execPath, "run", "build"], { cwd: REPO_ROOT, env: { ...process.env } });
    if (build.exitCode !== 0) throw new Error(`npm run build failed: ${build.stderr.toString()}`);
    const sizeMb = statSync(BINARY).size / 1024 / 1024;
    const binary = await measure([BINARY]);
    const source = await measure([process.execPath, MAIN]);
    const metrics: Metric[] = [
      { name: "binary size", value: round(sizeMb), unit: "MB" },
      {
        name: "binary: exec → first 200 (existing database)",
        value: round(binary.ready),
        unit: "ms",
        target: { below: 300 },
      },
      { name: "binary: exec → first answer (new database)", value: round(binary.readyNewDb), unit: "ms" },
      { name: "binary: RSS after 2 s idle", value: round(binary.rss), unit: "MB", target: { below: 80 } },
      { name: "source: exec → first 200 (existing database)", value: round(source.ready), unit: "ms" },
      { name: "source: exec → first answer (new database)", value: round(source.readyNewDb), unit: "ms" },
      { name: "source: RSS after 2 s idle", value: round(source.rss), unit: "MB" },
      { name: "ready time, binary / source", value: round(binary.ready / source.ready, 2), unit: "×" },
      { name: "idle RSS, binary / source", value: round(binary.rss / source.rss, 2), unit: "×" },
    ];
    const notes = [
      "existing database: GET /api/v4/version with root's token until 200",
      "new database: migrations plus creating root (argon2id hash); its first answer is the 401 of a request without a token",
    ];
    return { metrics, notes };
  },
};

export default bench;
