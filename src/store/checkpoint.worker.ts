// The checkpointer's thread: copies the write-ahead log's pages into the database file on a connection of its own.
import { Database } from "bun:sqlite";
import type { CheckpointerStart } from "./checkpointer.ts";

declare const self: Worker;

self.onmessage = ({ data }: MessageEvent<CheckpointerStart>) => {
  const db = new Database(data.path, { readwrite: true, create: false });
  db.run("PRAGMA busy_timeout = 1000");
  setInterval(() => {
    try {
      // PASSIVE: waits for no reader or writer; what it cannot copy yet, a later round (or the autocheckpoint) does.
      db.run("PRAGMA wal_checkpoint(PASSIVE)");
    } catch {
      // Busy (the main thread's autocheckpoint runs): the next round tries again.
    }
  }, data.everyMs);
};
