import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "./db.ts";

test("opening the store waits for another process's lock on the file instead of failing with 'database is locked'", async () => {
  const dir = mkdtempSync(join(tmpdir(), "porthole-db-lock-"));
  const path = join(dir, "p.db");
  openStore(path).close();
  // Another process holds the file itself for 400 ms, as one does while it closes and checkpoints.
  const holder = Bun.spawn(
    [
      process.execPath,
      "-e",
      `const d = new (require("bun:sqlite").Database)(${JSON.stringify(path)});
       d.run("PRAGMA locking_mode = EXCLUSIVE"); d.run("BEGIN EXCLUSIVE"); d.run("CREATE TABLE held (a)");
       console.log("held"); setTimeout(() => { d.run("COMMIT"); d.close(); }, 400);`,
    ],
    { stdout: "pipe" },
  );
  try {
    await holder.stdout.getReader().read();
    const store = openStore(path);
    expect(store.sqlite.query("SELECT name FROM sqlite_master WHERE name = 'held'").get()).toEqual({ name: "held" });
    store.close();
  } finally {
    holder.kill();
    await holder.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});
