// Job logs: appended in chunks to SQLite as they are produced, readable whole at any time, followable live.
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";

/** Flush buffered bytes after this long, or at once past FLUSH_BYTES. */
const FLUSH_MS = 50;
const FLUSH_BYTES = 64 * 1024;

export interface TraceListener {
  data(bytes: Uint8Array): void;
  /** The log is complete (the job finished). */
  end(): void;
}

interface LiveTrace {
  size: number;
  pending: Uint8Array[];
  pendingOffset: number;
  timer: ReturnType<typeof setTimeout> | null;
  listeners: Set<TraceListener>;
  /** Whether anything was appended; a state made only for followers is dropped when the last one leaves. */
  written: boolean;
}

export interface TraceStore {
  /** Appends bytes at the end of the job's log; listeners get them at once, SQLite within FLUSH_MS. */
  append(jobId: number, bytes: Uint8Array): void;
  /** The log's length in bytes. */
  size(jobId: number): number;
  /** Bytes [from, from+length) of the log (the whole log by default). */
  read(jobId: number, from?: number, length?: number): Uint8Array;
  /**
   * Sends the log from `from` on, then every new byte, then end() once finish() is called. `unfinished` is the
   * caller's knowledge that the job has not finished yet (else end() comes right after the backlog).
   * Returns unsubscribe.
   */
  follow(jobId: number, from: number, unfinished: boolean, listener: TraceListener): () => void;
  /** Writes what is buffered and tells followers the log is complete. */
  finish(jobId: number): void;
  /** Whether the job's log may still grow (someone appended and finish() was not called). */
  isLive(jobId: number): boolean;
}

export function createTraceStore(db: Db): TraceStore {
  const live = new Map<number, LiveTrace>();
  const { traceChunks: chunks, jobs } = repositoriesOf(db);
  const storedSize = (jobId: number) => chunks.storedSize(jobId);

  function state(jobId: number): LiveTrace {
    let s = live.get(jobId);
    if (!s) {
      const size = storedSize(jobId);
      s = { size, pending: [], pendingOffset: size, timer: null, listeners: new Set(), written: false };
      live.set(jobId, s);
    }
    return s;
  }

  function flush(jobId: number, s: LiveTrace) {
    if (s.timer) clearTimeout(s.timer);
    s.timer = null;
    if (s.pending.length === 0) return;
    const data = Buffer.concat(s.pending);
    const offset = s.pendingOffset;
    s.pending = [];
    s.pendingOffset = offset + data.length;
    try {
      chunks.append(jobId, offset, data);
    } catch (err) {
      // The job was deleted (with its project or pipeline) while it still wrote: its log goes with it.
      if (!jobs.exists(jobId)) live.delete(jobId);
      else throw err;
    }
  }

  function readStored(jobId: number, from: number, to: number): Uint8Array {
    const rows = chunks.chunksFrom(jobId, from);
    const parts: Uint8Array[] = [];
    for (const r of rows) {
      if (r.offset >= to) break;
      const start = Math.max(0, from - r.offset);
      const end = Math.min(r.data.length, to - r.offset);
      if (end > start) parts.push(r.data.subarray(start, end));
    }
    return Buffer.concat(parts);
  }

  return {
    append(jobId, bytes) {
      if (bytes.length === 0) return;
      const s = state(jobId);
      const copy = Uint8Array.from(bytes);
      s.written = true;
      s.pending.push(copy);
      s.size += copy.length;
      for (const l of s.listeners) l.data(copy);
      if (s.size - s.pendingOffset >= FLUSH_BYTES) flush(jobId, s);
      else s.timer ??= setTimeout(() => flush(jobId, s), FLUSH_MS);
    },
    size(jobId) {
      return live.get(jobId)?.size ?? storedSize(jobId);
    },
    read(jobId, from = 0, length = Number.MAX_SAFE_INTEGER) {
      const s = live.get(jobId);
      if (s) flush(jobId, s);
      const size = s?.size ?? storedSize(jobId);
      return readStored(jobId, from, Math.min(size, from + length));
    },
    follow(jobId, from, unfinished, listener) {
      const s = unfinished ? state(jobId) : live.get(jobId);
      const backlog = this.read(jobId, from);
      if (backlog.length > 0) listener.data(backlog);
      if (!s) {
        listener.end();
        return () => {};
      }
      s.listeners.add(listener);
      return () => {
        s.listeners.delete(listener);
        if (s.listeners.size === 0 && !s.written && live.get(jobId) === s) live.delete(jobId);
      };
    },
    finish(jobId) {
      const s = live.get(jobId);
      if (!s) return;
      flush(jobId, s);
      live.delete(jobId);
      for (const l of s.listeners) l.end();
    },
    isLive: (jobId) => live.has(jobId),
  };
}
