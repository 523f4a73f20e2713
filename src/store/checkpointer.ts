// Checkpoints the server's SQLite write-ahead log on a thread of its own, so that the main thread's commits rarely
// reach SQLite's autocheckpoint: it copies the log's ~4 MB into the database file inside a commit, 15-20 ms of the
// event loop (every tenth 1000-job pipeline). The autocheckpoint stays as the backstop that keeps the log bounded.
/** What the checkpointer's worker is told once. */
export interface CheckpointerStart {
  path: string;
  everyMs: number;
}

/** How often the log is checkpointed: a 1000-job pipeline writes ~0.5 MB of it, the autocheckpoint fires at ~4 MB. */
const CHECKPOINT_EVERY_MS = 100;
/** As the compile pool's worker: found by its path from `src/` inside the single binary, beside this file from source. */
const WORKER_ENTRY = Bun.main.startsWith("/$bunfs/")
  ? "./store/checkpoint.worker.ts"
  : new URL("./checkpoint.worker.ts", import.meta.url).href;

/** Starts checkpointing the database file at `path` (nothing for `:memory:`); `stop` ends the thread. */
export function startCheckpointer(path: string, everyMs = CHECKPOINT_EVERY_MS): { stop(): void } {
  if (path === ":memory:" || path === "") return { stop() {} };
  const worker = new Worker(WORKER_ENTRY) as Worker & { unref(): void };
  worker.unref();
  worker.postMessage({ path, everyMs } satisfies CheckpointerStart);
  return { stop: () => worker.terminate() };
}
