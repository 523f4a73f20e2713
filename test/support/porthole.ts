// Boots a real porthole for integration tests: temp data dir, a free loopback port, root with an API token.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { createPersonalAccessToken } from "../../src/auth/tokens.ts";
import { insertTestUser, TEST_PASSWORD } from "../../src/auth/users.testing.ts";
import { type BootOptions, bootPorthole, type Porthole } from "../../src/boot.ts";
import { databasePath } from "../../src/config/paths.ts";
import { type ConfigInput, configSchema } from "../../src/config/schema.ts";
import { silentLogger } from "../../src/logger.ts";
import { openStore } from "../../src/store/db.ts";
import { users } from "../../src/store/schema.ts";
import { type ApiInit, apiFetch } from "./api-fetch.ts";

export interface TestPorthole {
  url: string;
  rootToken: string;
  /** Root's password (TEST_PASSWORD), for signing in through the forms. */
  rootPassword: string;
  porthole: Porthole;
  dataDir: string;
  /** fetch against the API with root's token: `api("/projects", { method: "POST", json: {...} })`. */
  api(path: string, init?: ApiInit): Promise<Response>;
  stop(): Promise<void>;
}

type Overrides = Omit<ConfigInput, "runner" | "docker" | "session_server" | "terminal"> & {
  runner?: Partial<NonNullable<ConfigInput["runner"]>>;
  docker?: Partial<NonNullable<ConfigInput["docker"]>>;
  session_server?: Partial<NonNullable<ConfigInput["session_server"]>>;
  terminal?: Partial<NonNullable<ConfigInput["terminal"]>>;
};

/**
 * Makes the database and its root (as the first boot would) with a hash made once (users.testing.ts): hashing
 * root's password was most of a boot (0.2–0.5 s of 0.3–0.7 s). The first boot's own root is covered where it is
 * the subject (startup lines, server log, `porthole serve`).
 */
function seedRoot(dbPath: string): void {
  const store = openStore(dbPath);
  try {
    if (!store.repos.users.hasAny()) insertTestUser(store.db, { username: "root", name: "Administrator", admin: true });
  } finally {
    store.close();
  }
}

/** `boot.logger` catches the server's log lines; by default there are none. */
export async function startTestPorthole(
  overrides: Overrides = {},
  boot: BootOptions = { logger: silentLogger },
): Promise<TestPorthole> {
  const dataDir = mkdtempSync(join(tmpdir(), "porthole-test-"));
  const config = configSchema.parse({ listen: "127.0.0.1:0", data_dir: dataDir, ...overrides });
  seedRoot(databasePath(config));
  const porthole = await bootPorthole(config, boot);
  const root = porthole.store.db.select().from(users).where(eq(users.username, "root")).get()!;
  const { token } = await createPersonalAccessToken(porthole.store.db, {
    userId: root.id,
    name: "test",
    scopes: ["api"],
  });
  const url = porthole.url;
  return {
    url,
    rootToken: token,
    rootPassword: TEST_PASSWORD,
    porthole,
    dataDir,
    api: (path, init) => apiFetch(url, token, path, init),
    async stop() {
      await porthole.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
