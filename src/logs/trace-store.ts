// Job logs: appended in chunks to SQLite as they are produced, readable whole at any time, followable live.
//
// Durability rule: no byte leaves the store (to a follower or a reader) before it is committed to SQLite. Appends
// are gathered and committed together — one transaction for every job with pending bytes (group commit) — at most
// COMMIT_MS after the first of them, or at once past COMMIT_BYTES; followers get the bytes right after the commit.
// With WAL and synchronous=NORMAL (src/store/db.ts) a commit survives a crash of the process (kill -9), so a
// follower's offset never runs ahead of the stored log.
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";

/** Commit pending bytes this long after the first of them, or at once past COMMIT_BYTES (of all jobs together). */
const COMMIT_MS = 5;
const COMMIT_BYTES = 1024 * 1024;

export interface TraceListener {
  data(bytes: Uint8Array): void;
  /** The log is complete (the job finished). */
  end(): void;
}

interface LiveTrace {
  jobId: number;
  /** Bytes appended, committed or not. */
  size: number;
  /** Appended, not yet committed; they start at `committed`. */
  pending: Uint8Array[];
  committed: number;
  listeners: Set<TraceListener>;
  /** Whether anything was appended; a state made only for followers is dropped when the last one leaves. */
  written: boolean;
}

export interface TraceStore {
  /** Appends bytes at the end of the job's log; committed within COMMIT_MS, and only then sent to followers. */
  append(jobId: number, bytes: Uint8Array): void;
  /** The log's length in bytes, counting what is appended but not yet committed (the writer's next offset). */
  size(jobId: number): number;
  /** Bytes [from, from+length) of the log (the whole log by default); commits pending bytes first. */
  read(jobId: number, from?: number, length?: number): Uint8Array;
  /**
   * Sends the log from `from` on, then every new byte once committed, then end() once finish() is called.
   * `unfinished` is the caller's knowledge that the job has not finished yet (else end() comes right after the
   * backlog). Returns unsubscribe.
   */
  follow(jobId: number, from: number, unfinished: boolean, listener: TraceListener): () => void;
  /** Commits what is pending and tells followers the log is complete. */
  finish(jobId: number): void;
  /** Whether the job's log may still grow (someone appended and finish() was not called). */
  isLive(jobId: number): boolean;
  /** How many live followers the job's log has (someone is watching it). */
  followers(jobId: number): number;
  /**
   * The server is stopping: commits what is pending and calls end() on every follower, also of logs that are not
   * complete (a follower may resume at its offset after the restart). Later follows end after their backlog.
   */
  close(): void;
}

export function createTraceStore(db: Db): TraceStore {
  const live = new Map<number, LiveTrace>();
  const { traceChunks: chunks } = repositoriesOf(db);
  /** Traces with pending bytes, committed together by the next commit(). */
  const dirty = new Set<LiveTrace>();
  let pendingBytes = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const storedSize = (jobId: number) => chunks.storedSize(jobId);

  function state(jobId: number): LiveTrace {
    let s = live.get(jobId);
    if (!s) {
      const size = storedSize(jobId);
      s = { jobId, size, pending: [], committed: size, listeners: new Set(), written: false };
      live.set(jobId, s);
    }
    return s;
  }

  /** Writes every pending byte in one transaction, then hands the committed bytes to the followers. */
  function commit() {
    if (timer) clearTimeout(timer);
    timer = null;
    if (dirty.size === 0) return;
    const batch = [...dirty].map((s) => ({ s, offset: s.committed, data: Buffer.concat(s.pending) }));
    // If this throws, everything stays pending for the next commit. A job deleted (with its project or pipeline)
    // while it still wrote comes back as gone: its log goes with it.
    const goneIds = chunks.appendBatch(batch.map(({ s, offset, data }) => ({ jobId: s.jobId, offset, data })));
    const gone = new Set([...dirty].filter((s) => goneIds.has(s.jobId)));
    dirty.clear();
    pendingBytes = 0;
    for (const { s, offset, data } of batch) {
      s.pending = [];
      s.committed = offset + data.length;
      if (gone.has(s) && live.get(s.jobId) === s) live.delete(s.jobId);
    }
    // Only now, with the store consistent, may a follower's callback run (and even throw).
    for (const { s, data } of batch) if (!gone.has(s)) for (const l of s.listeners) l.data(data);
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
      dirty.add(s);
      pendingBytes += copy.length;
      if (pendingBytes >= COMMIT_BYTES) commit();
      else timer ??= setTimeout(commit, COMMIT_MS);
    },
    size(jobId) {
      return live.get(jobId)?.size ?? storedSize(jobId);
    },
    read(jobId, from = 0, length = Number.MAX_SAFE_INTEGER) {
      const s = live.get(jobId);
      if (s && dirty.has(s)) commit();
      const size = s?.committed ?? storedSize(jobId);
      return readStored(jobId, from, Math.min(size, from + length));
    },
    follow(jobId, from, unfinished, listener) {
      const s = unfinished && !closed ? state(jobId) : live.get(jobId);
      const backlog = this.read(jobId, from);
      if (backlog.length > 0) listener.data(backlog);
      if (!s || closed) {
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
      if (dirty.has(s)) commit();
      live.delete(jobId);
      for (const l of s.listeners) l.end();
    },
    isLive: (jobId) => live.has(jobId),
    followers: (jobId) => live.get(jobId)?.listeners.size ?? 0,
    close() {
      closed = true;
      commit();
      for (const s of live.values()) for (const l of s.listeners) l.end();
      for (const s of live.values()) s.listeners.clear();
    },
  };
}
