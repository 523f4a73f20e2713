import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { authenticateToken } from "../auth/tokens.ts";
import { authenticatePassword } from "../auth/users.ts";
import { openStore } from "../store/db.ts";
import { loadMigrations } from "../store/migrations-macro.ts";
import { runPorthole, tempFolder } from "./cli.testing.ts";
import { parseExpiry } from "./token.ts";

describe("migrate, user and token against a real database", () => {
  const cwd = tempFolder();
  const dbPath = join(cwd, "porthole-data", "porthole.db");

  test("migrate creates the database, then has nothing to do", async () => {
    const first = await runPorthole(["migrate"], cwd);
    expect(first).toMatchObject({
      code: 0,
      stdout: `${dbPath}: applied ${loadMigrations()
        .map((m) => m.tag)
        .join(", ")}\n`,
    });
    const second = await runPorthole(["migrate"], cwd);
    expect(second).toMatchObject({ code: 0, stdout: `${dbPath}: up to date\n` });
  });

  test("user create with a generated password that really signs in", async () => {
    const { code, stdout } = await runPorthole(["user", "create", "--username", "alice", "--admin"], cwd);
    expect(code).toBe(0);
    const password = /^password: (\S+)$/m.exec(stdout)?.[1];
    expect(password).toBeDefined();
    const store = openStore(dbPath);
    expect((await authenticatePassword(store.db, "alice", password!))?.admin).toBe(true);
    store.close();
  });

  test("user create refuses a taken name or a short password in one line, exit 2", async () => {
    expect(await runPorthole(["user", "create", "--username", "alice"], cwd)).toMatchObject({
      code: 2,
      stderr: "porthole user create: Username has already been taken\n",
    });
    expect(await runPorthole(["user", "create", "--username", "bob", "--password", "short"], cwd)).toMatchObject({
      code: 2,
      stderr: "porthole user create: password is too short (minimum is 8 characters)\n",
    });
  });

  test("user list shows the users as a table", async () => {
    await runPorthole(
      ["user", "create", "--username", "carol", "--password", "carol-password", "--name", "Carol C"],
      cwd,
    );
    const { code, stdout } = await runPorthole(["user", "list"], cwd);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+USERNAME\s+NAME\s+EMAIL\s+ADMIN\s+STATE$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/))).toEqual([
      ["1", "alice", "alice", "alice@porthole.invalid", "yes", "active"],
      ["2", "carol", "Carol C", "carol@porthole.invalid", "no", "active"],
    ]);
  });

  test("token create prints only a working token with the asked scopes and expiry", async () => {
    const { code, stdout } = await runPorthole(
      ["token", "create", "--user", "carol", "--name", "ci", "--scopes", "read_api", "--expires", "30d"],
      cwd,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^glpat-[\w-]{20}\n$/);
    const store = openStore(dbPath);
    const found = authenticateToken(store.db, stdout.trim());
    store.close();
    expect(found?.user.username).toBe("carol");
    expect(found?.token).toMatchObject({ name: "ci", scopes: ["read_api"], expiresAt: parseExpiry("30d") });
  });

  test("token create with an unknown user, scope or date: one line, exit 2", async () => {
    const cases: [string[], string][] = [
      [["--user", "nobody"], "porthole token create: --user: no user 'nobody'\n"],
      [
        ["--user", "carol", "--scopes", "api,sudo"],
        "porthole token create: --scopes: unknown scope 'sudo' (known: api, read_api)\n",
      ],
      [
        ["--user", "carol", "--expires", "tomorrow"],
        `porthole token create: --expires: expected a number of days like 30d or a date YYYY-MM-DD, got "tomorrow"\n`,
      ],
      [[], "porthole token create: --user is required (see porthole token create --help)\n"],
    ];
    for (const [args, stderr] of cases)
      expect(await runPorthole(["token", "create", ...args], cwd)).toEqual({ code: 2, stdout: "", stderr });
  });
});

describe("parseExpiry", () => {
  const now = new Date("2025-01-30T12:00:00Z");
  test("days from today (UTC), or a real future date", () => {
    expect(parseExpiry("30d", now)).toBe("2025-03-01");
    expect(parseExpiry("2025-02-01", now)).toBe("2025-02-01");
  });
  test("today, the past and impossible dates are refused", () => {
    expect(() => parseExpiry("2025-01-30", now)).toThrow("2025-01-30 is not in the future");
    expect(() => parseExpiry("0d", now)).toThrow("is not in the future");
    expect(() => parseExpiry("2025-02-30", now)).toThrow("expected a number of days");
  });
});
