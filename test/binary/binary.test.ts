// The single binary: built with package.json's build script, copied alone into an empty folder, it serves and runs a pipeline.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import packageJson from "../../package.json" with { type: "json" };
import { cleanEnv } from "../../src/cli/cli.testing.ts";
import { processOutput } from "../../src/shared/process-output.ts";
import { VERSION } from "../../src/version.ts";
import { type ApiInit, apiFetch } from "../support/api-fetch.ts";
import { type ServeProcess, startServeProcess } from "../support/serve-process.ts";
import { waitFor } from "../support/wait.ts";

const repoRoot = join(import.meta.dir, "../..");
const work = mkdtempSync(join(tmpdir(), "porthole-binary-"));
const folder = join(work, "empty-folder");
const binary = join(folder, "porthole");
const env = cleanEnv({ PORTHOLE_ROOT_PASSWORD: "binary-test-password" });
let server: ServeProcess;
let token: string;

/** `npm run build`'s own command, writing to a temp path so the test never races a developer's dist/. */
async function buildBinary(outfile: string): Promise<void> {
  const script = packageJson.scripts.build.replace("dist/porthole", outfile);
  const path = `${join(repoRoot, "node_modules/.bin")}:${process.env.PATH}`;
  const proc = Bun.spawn(["sh", "-c", script], {
    cwd: repoRoot,
    env: { ...process.env, PATH: path },
    stdout: "pipe",
    stderr: "pipe",
  });
  const { stdout: out, stderr: err, code } = await processOutput(proc);
  if (code !== 0) throw new Error(`build failed (${code}):\n${out}${err}`);
}

const api = (path: string, init?: ApiInit) => apiFetch(server.url, token, path, init);

beforeAll(async () => {
  await buildBinary(join(work, "build", "porthole"));
  Bun.spawnSync(["mkdir", "-p", folder]);
  copyFileSync(join(work, "build", "porthole"), binary);
  Bun.spawnSync(["chmod", "+x", binary]);
  server = await startServeProcess([binary, "serve", "--listen", "127.0.0.1:0"], { cwd: folder, env });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("dist/porthole alone in an empty folder", () => {
  test("serve migrated a new database there; the same binary makes a token for root meanwhile", async () => {
    expect(existsSync(join(folder, "porthole-data", "porthole.db"))).toBe(true);
    const proc = Bun.spawn([binary, "token", "create", "--user", "root"], {
      cwd: folder,
      env,
      stdout: "pipe",
      stderr: "pipe",
    });
    const { stdout, stderr, code } = await processOutput(proc);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    token = stdout.trim();
    expect(token).toMatch(/^glpat-/);
  });

  test("answers /api/v4/version and /api/v4/user with that token", async () => {
    const version = await api("/version");
    expect(version.status).toBe(200);
    expect(((await version.json()) as { version: string }).version).toContain(VERSION);
    const me = await api("/user");
    expect(((await me.json()) as { username: string }).username).toBe("root");
  });

  test("runs a pipeline with the embedded shell runner and serves its log", async () => {
    const ciConfig = "hello:\n  script:\n    - echo hello from the binary\n";
    const project = (await (
      await api("/projects", { method: "POST", json: { name: "binary-demo", ci_config: ciConfig } })
    ).json()) as { id: number };
    const created = await api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" } });
    expect(created.status).toBe(201);
    const pipeline = (await created.json()) as { id: number };
    const finished = await waitFor("the pipeline to finish", async () => {
      const body = (await (await api(`/projects/${project.id}/pipelines/${pipeline.id}`)).json()) as { status: string };
      return ["success", "failed", "canceled"].includes(body.status) && body.status;
    });
    expect(finished).toBe("success");
    const [job] = (await (await api(`/projects/${project.id}/pipelines/${pipeline.id}/jobs`)).json()) as {
      id: number;
    }[];
    expect(await (await api(`/projects/${project.id}/jobs/${job!.id}/trace`)).text()).toContain(
      "hello from the binary",
    );
  }, 60_000);

  test("serves the bundled terminal page, with the page security headers, and its script", async () => {
    const page = await fetch(`${server.url}/root/binary-demo/-/jobs/1/terminal`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    const script = /<script[^>]+src="([^"]+)"/.exec(await page.text())?.[1];
    expect(script).toBeDefined();
    expect((await fetch(new URL(script!, server.url))).status).toBe(200);
  });

  test("SIGTERM stops it cleanly with exit code 0", async () => {
    const code = await server.stop();
    expect(code).toBe(0);
    expect(server.output()).toContain("porthole: stopped");
  });
});
