import { expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCheckpointer } from "./checkpointer.ts";
import { openStore } from "./db.ts";

test("the checkpointer's thread copies the log into the database, so later commits reuse the log from its start", async () => {
  const dir = mkdtempSync(join(tmpdir(), "porthole-checkpointer-"));
  const path = join(dir, "p.db");
  const store = openStore(path);
  // Only the thread checkpoints here: without it, the log would grow by each commit's pages.
  store.sqlite.run("PRAGMA wal_autocheckpoint = 0");
  const checkpointer = startCheckpointer(path, 20);
  try {
    store.sqlite.run("CREATE TABLE filler (t TEXT)");
    const insert = store.sqlite.prepare("INSERT INTO filler VALUES (?)");
    const twoMegabytes = store.sqlite.transaction(() => {
      for (let i = 0; i < 500; i++) insert.run("x".repeat(4000));
    });
    twoMegabytes();
    const first = statSync(`${path}-wal`).size;
    expect(first).toBeGreaterThan(2_000_000);
    for (let round = 0; round < 5; round++) {
      await Bun.sleep(100);
      twoMegabytes();
    }
    expect(statSync(`${path}-wal`).size).toBeLessThan(first * 1.5);
  } finally {
    checkpointer.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
