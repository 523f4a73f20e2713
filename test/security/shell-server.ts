// A real `porthole serve` child process with the shell executor, a low-privilege user and API helpers, for attack tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type ServeProcess, startServeProcess } from "../support/serve-process.ts";
import { waitFor } from "../support/wait.ts";

const repoRoot = resolve(import.meta.dir, "../..");

export interface ShellServer {
  server: ServeProcess;
  dataDir: string;
  rootPassword: string;
  rootToken: string;
  /** A user without admin rights, and their token. */
  userToken: string;
  api(path: string, token: string, init?: { method?: string; json?: unknown }): Promise<Response>;
  /** Creates a project with an inline pipeline as `token`'s user and starts a pipeline; returns its first job. */
  runPipeline(token: string, name: string, ciConfig: string): Promise<{ projectId: number; jobId: number }>;
  trace(projectId: number, jobId: number): Promise<string>;
  /** Waits until the job's log contains `text` (or the job ends); returns the log. */
  traceWith(projectId: number, jobId: number, text: string, timeoutMs?: number): Promise<string>;
  /** Stops the server (if still running) and removes its data. */
  dispose(): Promise<void>;
}

function cli(env: Record<string, string>, ...args: string[]): string {
  const run = Bun.spawnSync([process.execPath, join(repoRoot, "src/main.ts"), ...args], { cwd: repoRoot, env });
  if (run.exitCode !== 0) throw new Error(`porthole ${args.join(" ")}: ${run.stderr.toString()}`);
  return run.stdout.toString().trim();
}

/** Starts porthole with `PORTHOLE_ROOT_PASSWORD` in its environment (the secret a job must never see). */
export async function startShellServer(extraEnv: Record<string, string> = {}): Promise<ShellServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "porthole-sandbox-"));
  const rootPassword = `root-${crypto.randomUUID()}`;
  const env = {
    PATH: process.env.PATH!,
    HOME: dataDir,
    PORTHOLE_DATA_DIR: dataDir,
    PORTHOLE_ROOT_PASSWORD: rootPassword,
    ...extraEnv,
  };
  const server = await startServeProcess(
    [process.execPath, join(repoRoot, "src/main.ts"), "serve", "--listen", "127.0.0.1:0"],
    { cwd: repoRoot, env }, // bun reads tsconfig.json (the UI's JSX) from the working directory
  ).catch((err) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  const rootToken = cli(env, "token", "create", "--user", "root");
  cli(env, "user", "create", "--username", "mallory", "--password", `m-${crypto.randomUUID()}`);
  const userToken = cli(env, "token", "create", "--user", "mallory");
  const api = (path: string, token: string, init: { method?: string; json?: unknown } = {}) =>
    fetch(`${server.url}/api/v4${path}`, {
      method: init.method ?? "GET",
      headers: { "PRIVATE-TOKEN": token, "Content-Type": "application/json" },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
  const trace = async (projectId: number, jobId: number) =>
    (await api(`/projects/${projectId}/jobs/${jobId}/trace`, rootToken)).text();
  let stopped = false;
  return {
    server,
    dataDir,
    rootPassword,
    rootToken,
    userToken,
    api,
    trace,
    async runPipeline(token, name, ciConfig) {
      const created = await api("/projects", token, { method: "POST", json: { name, ci_config: ciConfig } });
      if (created.status !== 201) throw new Error(`create project ${name}: ${created.status} ${await created.text()}`);
      const { id: projectId } = (await created.json()) as { id: number };
      const pipeline = await api(`/projects/${projectId}/pipeline`, token, { method: "POST", json: { ref: "main" } });
      if (pipeline.status !== 201) throw new Error(`pipeline of ${name}: ${pipeline.status} ${await pipeline.text()}`);
      const { id: pipelineId } = (await pipeline.json()) as { id: number };
      const jobs = (await (await api(`/projects/${projectId}/pipelines/${pipelineId}/jobs`, token)).json()) as {
        id: number;
      }[];
      return { projectId, jobId: jobs[0]!.id };
    },
    async traceWith(projectId, jobId, text, timeoutMs = 30_000) {
      return waitFor(
        `"${text}" in the log of job ${jobId}`,
        async () => {
          const log = await trace(projectId, jobId);
          if (log.includes(text)) return log;
          const job = (await (await api(`/projects/${projectId}/jobs/${jobId}`, rootToken)).json()) as {
            status: string;
          };
          if (!["created", "pending", "running"].includes(job.status)) {
            throw new Error(`job ${jobId} ended (${job.status}) without "${text}"; log:\n${log}`);
          }
          return null;
        },
        timeoutMs,
      );
    },
    async dispose() {
      if (!stopped) {
        stopped = true;
        await server.stop().catch(() => {});
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
