// `porthole serve` from source as a real child process on a data dir a test owns, with a token for root's API.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { cleanEnv } from "../../src/cli/cli.testing.ts";
import { apiFetch } from "./api-fetch.ts";
import { type ServeProcess, startServeProcess } from "./serve-process.ts";
import { json } from "./terminal-jobs.ts";

const REPO_ROOT = resolve(import.meta.dir, "../..");
const MAIN = join(REPO_ROOT, "src/main.ts");

export interface ServedPorthole {
  process: ServeProcess;
  url: string;
  token: string;
  /** fetch against `/api/v4` with root's token. */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

/** The `porthole` command line from source, as argv. */
export const portholeArgv = (...args: string[]) => [process.execPath, MAIN, ...args];

/** Starts a server on `dataDir` (a second call on the same dir is a restart) and makes a token for root. */
export async function startServed(dataDir: string, flags: string[] = []): Promise<ServedPorthole> {
  const env = cleanEnv({ PORTHOLE_ROOT_PASSWORD: "served-root-password" });
  const proc = await startServeProcess(
    portholeArgv("serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir, ...flags),
    { cwd: REPO_ROOT, env }, // bun reads tsconfig.json (JSX of the UI) from the working directory
  );
  const made = Bun.spawnSync(portholeArgv("token", "create", "--user", "root", "--data-dir", dataDir), {
    cwd: REPO_ROOT,
    env,
  });
  if (made.exitCode !== 0) throw new Error(`token create failed: ${made.stderr.toString()}`);
  const token = made.stdout.toString().trim();
  return {
    process: proc,
    url: proc.url,
    token,
    api: (path, init) => apiFetch(proc.url, token, path, init),
  };
}

/**
 * `porthole serve` on 127.0.0.1:0 from a fresh data dir (`porthole-<prefix>-…`, also its working directory and HOME)
 * with nothing of this process's environment but PATH, plus `env`: what a user's first start sees. The caller
 * stops the server and removes `dataDir`.
 */
export async function serveFresh(
  prefix: string,
  env: Record<string, string>,
): Promise<{ server: ServeProcess; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), `porthole-${prefix}-`));
  const server = await startServeProcess(portholeArgv("serve", "--listen", "127.0.0.1:0"), {
    cwd: dataDir,
    env: { PATH: process.env.PATH!, HOME: dataDir, PORTHOLE_DATA_DIR: dataDir, ...env },
  });
  return { server, dataDir };
}

export interface StartedPipeline<J> {
  project: { id: number; path_with_namespace: string };
  pipeline: { id: number };
  jobs: J[];
}

/** Creates project `name` with `ciConfig` on `server`, runs a pipeline on main, and returns it with its jobs. */
export async function startPipeline<J = { id: number }>(
  server: ServedPorthole,
  name: string,
  ciConfig: string,
): Promise<StartedPipeline<J>> {
  const project = await json<StartedPipeline<J>["project"]>(
    server.api("/projects", { method: "POST", json: { name, ci_config: ciConfig } }),
  );
  const pipeline = await json<{ id: number }>(
    server.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" } }),
  );
  const jobs = await json<J[]>(server.api(`/projects/${project.id}/pipelines/${pipeline.id}/jobs`));
  return { project, pipeline, jobs };
}
