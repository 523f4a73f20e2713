import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
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
      await copiedIntoDatabase(path);
      twoMegabytes();
    }
    expect(statSync(`${path}-wal`).size).toBeLessThan(first * 1.5);
  } finally {
    checkpointer.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Waits until the log is copied into the database whole: in the wal-index (`-shm`, SQLite's file format, native byte
 * order), the checkpoint's nBackfill (offset 96) has reached the header's mxFrame (offset 16). Only the thread
 * checkpoints here, so this is its work, however late a loaded machine starts or runs it.
 */
async function copiedIntoDatabase(path: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const index = new DataView(readFileSync(`${path}-shm`).buffer);
    const [logged, copied] = [index.getUint32(16, true), index.getUint32(96, true)];
    if (logged > 0 && copied === logged) return;
    if (Date.now() > deadline) throw new Error(`no whole checkpoint within 15 s: ${copied} of ${logged} frames`);
    await Bun.sleep(20);
  }
}
