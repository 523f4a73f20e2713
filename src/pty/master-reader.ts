// Reads a PTY master on the main thread's own event loop, only while its consumer keeps up (pause = leave it unread).
import { closeSync } from "node:fs";
import { readNow, waitReadable } from "./libc.ts";

/** One master being read. Call pause/resume freely; close() once — it resolves after the master fd is closed. */
export interface MasterHandle {
  pause(): void;
  resume(): void;
  /**
   * Right after a keystroke was written: waits up to `waitNs` on this thread for the master to become readable
   * (the tty's or the program's echo) and hands what it has to `data` at once, instead of a turn of the event loop
   * later. Does nothing while paused or while output is on its way already. Returns false when it waited all of
   * `waitNs` for nothing (the program does not echo at once).
   */
  awaitEcho(waitNs: number): boolean;
  close(): Promise<void>;
}

/** The tty hands out at most 4095 bytes per read: a read this long means the program has more to say. */
const FULL_READ = 4000;
/** A run of full reads is handed on in chunks of this size, or after FLUSH_MS, or when a short read ends it. */
const BATCH = 256 * 1024;
const FLUSH_MS = 2;
const scratch = new Uint8Array(BATCH);

/**
 * Counts turns of the event loop (bumped by an immediate, scheduled only while someone asks). A read() asked for in
 * an earlier turn and still pending has nothing on its way: whatever Bun read for it would have settled it within
 * the microtasks of the callback that read it, and those all run before the next turn.
 */
let turn = 0;
let turnScheduled = false;
const nextTurn = () => {
  turn++;
  turnScheduled = false;
};
const currentTurn = (): number => {
  if (!turnScheduled) {
    turnScheduled = true;
    setImmediate(nextTurn);
  }
  return turn;
};

/**
 * Starts reading `fd` (a non-blocking PTY master): `data` gets output in order, `eof` once every slave fd is closed;
 * both are looked up on `listeners` at each call, so the caller may swap them. The master belongs to the reader from
 * now on: close it only through the handle.
 *
 * Bun reads a master given as `Bun.file(fd).stream()` in its own epoll loop (a one-shot registration of a dup of
 * the fd, re-armed while a read() is pending), so output reaches `data` in the turn of the event loop the tty
 * became readable in — no thread to wake in between. A short read (an echo, a prompt) goes on at once; a run of
 * full 4 KB reads (a flood) is joined into BATCH-sized chunks, so that a flood costs one WebSocket frame (and one
 * ack) per 256 KB rather than per 4 KB. While paused no read() is asked for: Bun leaves the master unread, the
 * kernel's buffer fills and the program blocks in write(2). What the read() pending when pause() came brings is held
 * (one chunk) until resume(); a batch begun before the pause is still delivered.
 */
export function readMaster(fd: number, listeners: { data(bytes: Uint8Array): void; eof(): void }): MasterHandle {
  const reader = Bun.file(fd).stream().getReader();
  /** The stream's read() in flight, if any, and the turn it was asked for in. */
  let next: ReturnType<typeof reader.read> | null = null;
  let askedIn = 0;
  let paused = false;
  let pulling = false;
  let ended = false;
  let closing: Promise<void> | null = null;
  /** A run of full reads not handed on yet. */
  let batch: Uint8Array[] = [];
  /** What the read() pending when pause() came brought: delivered first on resume(). */
  let held: Uint8Array | null = null;
  let batched = 0;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;

  const deliver = (bytes: Uint8Array) => {
    try {
      listeners.data(bytes);
    } catch (error) {
      queueMicrotask(() => {
        throw error; // reported like any listener's error; the output after it is still delivered
      });
    }
  };
  const flush = () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    if (batched === 0) return;
    const chunks = batch;
    batch = [];
    batched = 0;
    deliver(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
  };
  /** One read, in order: on at once when short and nothing is batched, else joined into the batch. */
  const take = (bytes: Uint8Array) => {
    if (batched === 0 && bytes.length < FULL_READ) return deliver(bytes);
    batch.push(bytes);
    batched += bytes.length;
    if (bytes.length < FULL_READ || batched >= BATCH) flush();
    else flushTimer ??= setTimeout(flush, FLUSH_MS);
  };

  async function pull(): Promise<void> {
    pulling = true;
    while (!ended && !closing) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        const asked = reader.read();
        next = asked;
        askedIn = currentTurn();
        chunk = await asked;
      } catch {
        ended = true; // EIO: every slave fd is closed and all output was read
        flush();
        listeners.eof();
        break;
      } finally {
        next = null;
      }
      if (chunk.done) break; // cancelled by close()
      if (paused) {
        held = chunk.value; // Bun read it after pause() came: it waits for resume()
        break;
      }
      take(chunk.value);
      if (paused) break;
    }
    pulling = false;
  }

  void pull();
  return {
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      if (held) {
        const bytes = held;
        held = null;
        take(bytes);
      }
      if (!pulling && !paused && !ended && !closing) void pull();
    },
    awaitEcho: (waitNs) => {
      // Only while nothing is batched and the stream waits for the master since an earlier turn (Bun then holds no
      // bytes of its own): what is read here directly is the next output, and nothing can overtake it.
      if (paused || ended || closing || batched > 0 || !next || askedIn === turn) return true;
      if (Bun.peek.status(next) !== "pending") return true;
      if (!waitReadable(fd, waitNs)) return false;
      const got = readNow(fd, scratch, BATCH);
      if (got > 0) take(scratch.slice(0, got));
      return true;
    },
    close: () =>
      (closing ??= (async () => {
        if (flushTimer) clearTimeout(flushTimer);
        batch = [];
        held = null;
        await reader.cancel().catch(() => {});
        closeSync(fd);
      })()),
  };
}
