// `porthole user block|unblock|delete` against a real database: effects a user would notice, and the refusals.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { authenticateToken, createPersonalAccessToken } from "../../src/auth/tokens.ts";
import { authenticatePassword } from "../../src/auth/users.ts";
import { runPorthole, tempFolder } from "../../src/cli/cli.testing.ts";
import { openStore, type Store } from "../../src/store/db.ts";

describe("porthole user block, unblock, delete", () => {
  const cwd = tempFolder();
  const dbPath = join(cwd, "porthole-data", "porthole.db");
  const withDb = <T>(work: (db: Store["db"], sqlite: Store["sqlite"]) => T): T => {
    const store = openStore(dbPath);
    try {
      return work(store.db, store.sqlite);
    } finally {
      store.close();
    }
  };
  let token = "";

  test("setup: an admin and a user with a token", async () => {
    expect(
      (await runPorthole(["user", "create", "--username", "boss", "--admin", "--password", "boss-password"], cwd)).code,
    ).toBe(0);
    expect((await runPorthole(["user", "create", "--username", "dana", "--password", "dana-password"], cwd)).code).toBe(
      0,
    );
    token = withDb((db) => createPersonalAccessToken(db, { userId: 2, name: "t", scopes: ["api"] }).token);
  });

  test("block stops password and token sign-in at once; unblock lets the user back in", async () => {
    expect(await runPorthole(["user", "block", "dana"], cwd)).toMatchObject({ code: 0, stdout: "blocked user dana\n" });
    expect(await withDb((db) => authenticatePassword(db, "dana", "dana-password"))).toBeNull();
    expect(withDb((db) => authenticateToken(db, token))).toBeNull();
    expect(await runPorthole(["user", "unblock", "dana"], cwd)).toMatchObject({
      code: 0,
      stdout: "unblocked user dana\n",
    });
    expect((await withDb((db) => authenticatePassword(db, "dana", "dana-password")))?.username).toBe("dana");
    expect(withDb((db) => authenticateToken(db, token))?.user.username).toBe("dana");
  });

  test("the last active admin cannot be blocked or deleted; an unknown user is named", async () => {
    expect(await runPorthole(["user", "block", "boss"], cwd)).toEqual({
      code: 2,
      stdout: "",
      stderr: "porthole user block: boss is the last active admin; make another admin first\n",
    });
    expect((await runPorthole(["user", "delete", "boss"], cwd)).code).toBe(2);
    expect(await runPorthole(["user", "delete", "nobody"], cwd)).toEqual({
      code: 2,
      stdout: "",
      stderr: "porthole user delete: no user 'nobody'\n",
    });
    expect((await runPorthole(["user", "block"], cwd)).stderr).toBe(
      "porthole user block: missing argument (see porthole user block --help)\n",
    );
  });

  test("delete removes the user and their tokens; each change is in the audit log", async () => {
    expect(await runPorthole(["user", "delete", "dana"], cwd)).toMatchObject({
      code: 0,
      stdout: "deleted user dana\n",
    });
    expect(withDb((db) => authenticateToken(db, token))).toBeNull();
    const { stdout } = await runPorthole(["user", "list"], cwd);
    expect(stdout).not.toContain("dana");
    const actions = withDb((_db, sqlite) =>
      sqlite
        .query<{ action: string }, []>("SELECT action FROM audit_events ORDER BY id")
        .all()
        .map((r) => r.action),
    );
    expect(actions).toEqual(["user_blocked", "user_unblocked", "user_deleted"]);
  });
});
