import { describe, expect, test } from "bun:test";
import { VERSION } from "../version.ts";
import { runPorthole, tempFolder } from "./cli.testing.ts";

describe("porthole command line", () => {
  const cwd = tempFolder();

  test("--help lists every command and exits 0", async () => {
    const { code, stdout } = await runPorthole(["--help"], cwd);
    expect(code).toBe(0);
    for (const command of ["serve", "migrate", "backup", "restore", "user", "token", "attach", "runner", "version"])
      expect(stdout).toContain(`  ${command} `);
  });

  test("no command prints the help on stderr and exits 2", async () => {
    const { code, stderr } = await runPorthole([], cwd);
    expect(code).toBe(2);
    expect(stderr).toContain("Usage: porthole <command>");
  });

  test("an unknown command is one line with a suggestion, exit 2", async () => {
    const { code, stderr } = await runPorthole(["serv"], cwd);
    expect(code).toBe(2);
    expect(stderr).toBe("porthole: unknown command 'serv' (did you mean serve?); see porthole --help\n");
  });

  test("version and --version print the package version", async () => {
    for (const args of [["version"], ["--version"]]) {
      const { code, stdout } = await runPorthole(args, cwd);
      expect(code).toBe(0);
      expect(stdout).toStartWith(`porthole ${VERSION} (bun `);
    }
  });

  test("every command has --help, exit 0", async () => {
    for (const command of ["serve", "migrate", "backup", "restore", "user", "token", "attach", "runner", "version"]) {
      const { code, stdout } = await runPorthole([command, "--help"], cwd);
      expect({ command, code }).toEqual({ command, code: 0 });
      expect(stdout).toMatch(/^usage:/i);
      expect(stdout).toContain(`porthole ${command}`);
    }
  });

  test("a bad flag is one line naming it, exit 2", async () => {
    const { code, stderr } = await runPorthole(["migrate", "--data-dri", "x"], cwd);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "porthole migrate: Unknown option '--data-dri' (did you mean --data-dir?) (see porthole migrate --help)\n",
    );
  });

  test("a bad configuration value or variable is one line each, exit 2", async () => {
    const { code, stderr } = await runPorthole(["migrate", "--runner-concurrent", "x"], cwd, {
      PORTHOLE_DOCKER_PULL: "never",
    });
    expect(code).toBe(2);
    expect(stderr.trimEnd().split("\n").sort()).toEqual([
      `--runner-concurrent: expected a whole number, got "x"`,
      "PORTHOLE_DOCKER_PULL: not a porthole setting (did you mean PORTHOLE_DOCKER_PULL_POLICY?)",
    ]);
  });

  test("serve refuses a bad listen address before starting anything", async () => {
    const { code, stderr } = await runPorthole(["serve", "--listen", "8080"], cwd);
    expect({ code, stderr }).toEqual({
      code: 2,
      stderr: `--listen: must be host:port, e.g. 127.0.0.1:8080, got "8080"\n`,
    });
  });

  test("runner is not yet available: says so, exit 2", async () => {
    const { code, stderr } = await runPorthole(["runner", "--url", "http://127.0.0.1:1"], cwd);
    expect(code).toBe(2);
    expect(stderr).toContain("not yet available");
  });
});
