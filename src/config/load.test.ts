import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "./load.ts";
import { ConfigError } from "./problems.ts";

function folderWith(toml?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "porthole-config-"));
  if (toml !== undefined) writeFileSync(join(dir, "porthole.toml"), toml);
  return dir;
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  test("defaults with no file, env or flags; data_dir is made absolute", () => {
    const cwd = folderWith();
    const config = loadConfig({ argvFlags: {}, env: {}, cwd });
    expect(config.listen).toBe("127.0.0.1:8080");
    expect(config.runner).toMatchObject({ enabled: true, executor: "shell", concurrent: 4 });
    expect(config.docker.pull_policy).toBe("if-not-present");
    expect(config.data_dir).toBe(join(cwd, "porthole-data"));
  });

  test("file, then env, then flags: later wins, each typed by the schema", () => {
    const cwd = folderWith(
      `listen = "127.0.0.1:9000"\ndata_dir = "/srv/ci"\n[runner]\nconcurrent = 2\nexecutor = "docker"\n`,
    );
    const config = loadConfig({
      argvFlags: { listen: "127.0.0.1:9002", "docker-volumes": "/cache, /certs:ro" },
      env: {
        PORTHOLE_LISTEN: "127.0.0.1:9001",
        PORTHOLE_RUNNER_CONCURRENT: "8",
        PORTHOLE_SESSION_SERVER_SESSION_TIMEOUT: "60",
        PORTHOLE_DOCKER_PRIVILEGED: "false",
        PORTHOLE_ROOT_PASSWORD: "not a setting, read by boot",
        HOME: "/root",
      },
      cwd,
    });
    expect(config.listen).toBe("127.0.0.1:9002");
    expect(config.data_dir).toBe("/srv/ci");
    expect(config.runner.concurrent).toBe(8);
    expect(config.runner.executor).toBe("docker");
    expect(config.session_server.session_timeout).toBe(60);
    expect(config.docker.volumes).toEqual(["/cache", "/certs:ro"]);
  });

  test("--config names the file; relative paths resolve from cwd", () => {
    const cwd = folderWith();
    writeFileSync(join(cwd, "other.toml"), `[terminal]\nmax_session_time = 3600\n`);
    expect(loadConfig({ argvFlags: { config: "other.toml" }, env: {}, cwd }).terminal.max_session_time).toBe(3600);
    expect(problemsOf(() => loadConfig({ argvFlags: { config: "missing.toml" }, env: {}, cwd }))).toEqual([
      "missing.toml: cannot read the configuration file: no such file",
    ]);
  });

  test("unknown keys in the file are named with the file", () => {
    const cwd = folderWith(`colour = "blue"\n[runner]\nfoo = 1\n[runer]\n`);
    expect(problemsOf(() => loadConfig({ argvFlags: {}, env: {}, cwd })).sort()).toEqual([
      "porthole.toml: unknown key colour",
      "porthole.toml: unknown key runer",
      "porthole.toml: unknown key runner.foo",
    ]);
  });

  test("wrong types and ranges name the key and the layer that set it", () => {
    const cwd = folderWith(
      `[runner]\nconcurrent = "4"\n[docker]\npull_policy = "sometimes"\nvolumes = ["/cache", 7]\n`,
    );
    const problems = problemsOf(() =>
      loadConfig({
        argvFlags: { "external-url": "not a url", "terminal-max-session-time": "-5" },
        env: { PORTHOLE_JOB_TIMEOUT: "x", PORTHOLE_RUNNER_ENABLED: "maybe", PORTHOLE_LISTEN: "8080" },
        cwd,
      }),
    );
    expect(problems.sort()).toEqual([
      `--external-url: expected a URL such as http://ci.example.com, got "not a url"`,
      `--terminal-max-session-time: must be at least 0, got -5`,
      `PORTHOLE_JOB_TIMEOUT: expected a whole number, got "x"`,
      `PORTHOLE_LISTEN: must be host:port, e.g. 127.0.0.1:8080, got "8080"`,
      `PORTHOLE_RUNNER_ENABLED: expected true or false, got "maybe"`,
      `porthole.toml: docker.pull_policy: expected one of always, if-not-present, never, got "sometimes"`,
      `porthole.toml: docker.volumes.1: expected a list of strings, got 7`,
      `porthole.toml: runner.concurrent: expected a whole number, got "4"`,
    ]);
  });

  test("an unknown PORTHOLE_* variable is an error with a suggestion; other variables are ignored", () => {
    const cwd = folderWith();
    expect(
      problemsOf(() => loadConfig({ argvFlags: {}, env: { PORTHOLE_RUNNER_CONCURENT: "8", PATH: "/bin" }, cwd })),
    ).toEqual(["PORTHOLE_RUNNER_CONCURENT: not a porthole setting (did you mean PORTHOLE_RUNNER_CONCURRENT?)"]);
    expect(problemsOf(() => loadConfig({ argvFlags: {}, env: { PORTHOLE_FROBNICATE: "1" }, cwd }))).toEqual([
      "PORTHOLE_FROBNICATE: not a porthole setting",
    ]);
  });

  test("log settings: level, format and access log from env and flags; a wrong level names the choices", () => {
    const cwd = folderWith();
    const defaults = loadConfig({ argvFlags: {}, env: {}, cwd }).log;
    expect(defaults).toEqual({ level: "info", format: "logfmt", access: false });
    const set = loadConfig({
      argvFlags: { "log-format": "json" },
      env: { PORTHOLE_LOG_LEVEL: "debug", PORTHOLE_LOG_ACCESS: "true" },
      cwd,
    }).log;
    expect(set).toEqual({ level: "debug", format: "json", access: true });
    expect(problemsOf(() => loadConfig({ argvFlags: { "log-level": "loud" }, env: {}, cwd }))).toEqual([
      `--log-level: expected one of debug, info, warn, error, got "loud"`,
    ]);
  });

  test("a TOML syntax error gives the line and column", () => {
    const cwd = folderWith(`listen = "127.0.0.1:8080"\n[runner]\nconcurrent = = 4\n`);
    expect(problemsOf(() => loadConfig({ argvFlags: {}, env: {}, cwd }))).toEqual([
      "porthole.toml:3:14: invalid TOML: Expected a value but found '='",
    ]);
  });
});
