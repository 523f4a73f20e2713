// A gitlab-runner config.toml read as porthole's configuration: its keys land where porthole reads them, the rest is named.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../config/load.ts";
import { ConfigError } from "../../config/problems.ts";
import { fromGitlabRunnerToml } from "./gitlab-runner-toml.ts";

const dir = mkdtempSync(join(tmpdir(), "porthole-runner-toml-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(toml: string, flags: Record<string, string> = {}) {
  const path = join(dir, `${crypto.randomUUID()}.toml`);
  writeFileSync(path, toml);
  return loadConfig({ argvFlags: { config: path, ...flags }, env: {}, cwd: dir, translateFile: fromGitlabRunnerToml });
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("gitlab-runner's config.toml", () => {
  test("concurrent, [[runners]] and [session_server] become porthole's keys", () => {
    const config = load(`
concurrent = 3
check_interval = 0

[session_server]
  listen_address = "0.0.0.0:8093"
  advertise_address = "runner1.example.com:8093"
  session_timeout = 600

[[runners]]
  name = "builder-1"
  url = "https://ci.example.com"
  token = "glrt-abc"
  executor = "docker"
  [runners.docker]
    image = "alpine:3.20"
    privileged = false
    volumes = ["/cache"]
    pull_policy = ["if-not-present"]
`);
    expect(config.runner).toMatchObject({
      concurrent: 3,
      name: "builder-1",
      url: "https://ci.example.com",
      token: "glrt-abc",
      executor: "docker",
    });
    expect(config.docker).toMatchObject({
      default_image: "alpine:3.20",
      privileged: false,
      volumes: ["/cache"],
      pull_policy: "if-not-present",
    });
    expect(config.session_server).toEqual({
      listen_address: "0.0.0.0:8093",
      advertise_address: "runner1.example.com:8093",
      session_timeout: 600,
    });
  });

  test("flags still win over the file", () => {
    const config = load(`[[runners]]\n  url = "https://a.example"\n  token = "glrt-a"\n  executor = "shell"\n`, {
      "runner-token": "glrt-flag",
    });
    expect([config.runner.url, config.runner.token]).toEqual(["https://a.example", "glrt-flag"]);
  });

  test("porthole's own shape passes unchanged", () => {
    const config = load(`[runner]\nurl = "https://b.example"\ntoken = "glrt-b"\nconcurrent = 2\n`);
    expect([config.runner.url, config.runner.concurrent]).toEqual(["https://b.example", 2]);
  });

  test("what porthole's runner does not support is named, not ignored", () => {
    expect(
      problemsOf(() =>
        load(
          `[[runners]]\n  url = "https://a"\n  token = "t"\n  [runners.cache]\n    Type = "s3"\n  [runners.docker]\n    tls_verify = true\n`,
        ),
      ),
    ).toEqual([
      "config: runners.cache is not supported by porthole runner",
      "config: runners.docker.tls_verify is not supported by porthole runner",
    ]);
    expect(problemsOf(() => load(`[[runners]]\n  url = "a"\n[[runners]]\n  url = "b"\n`))).toEqual([
      "config: [[runners]] must hold exactly one runner (run one porthole runner per server)",
    ]);
  });
});
