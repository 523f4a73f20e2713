// Job logs: appended in chunks to SQLite as they are produced, readable whole at any time, followable live.
//
// Durability rule: no byte leaves the store (to a follower or a reader) before it is committed to SQLite. Appends
// are gathered and committed together — one transaction for every job with pending bytes (group commit) — at most
// COMMIT_MS after the first of them, or at once past COMMIT_BYTES; followers get the bytes right after the commit.
// With WAL and synchronous=NORMAL (src/store/db.ts) a commit survives a crash of the process (kill -9), so a
// follower's offset never runs ahead of the stored log.
import { isDiskFull, TraceLost } from "../domain/trace-lost.ts";
import { type Logger, silentLogger } from "../logger.ts";
import type { Db } from "../store/db.ts";
import { repositoriesOf } from "../store/repositories.ts";
import { CLOSING_LINE_BYTES, headroomCheck } from "./log-headroom.ts";

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
  /** Bytes were dropped since the writer last heard (see commit()). */
  lost?: TraceLost;
  /** The writer was told of a loss: its closing line may still go into the headroom. */
  closingAfterLoss?: boolean;
}

export interface TraceStore {
  /**
   * Once after bytes of the job's log were dropped (the database refused them): the error saying why and where
   * the log ends now; null otherwise. The writer calls it before each append and resumes at `committed`.
   */
  takeLoss(jobId: number): TraceLost | null;
  /**
   * Appends bytes at the end of the job's log; committed within COMMIT_MS, and only then sent to followers. The
   * store keeps `bytes` until then: the caller must not change them afterwards.
   */
  append(jobId: number, bytes: Uint8Array): void;
  /** Bytes appended to all logs since this store was made (the metrics' trace bytes ingested). */
  ingestedBytes(): number;
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
  /**
   * Commits what is pending and tells followers the log is complete. Returns the loss the writer was not told of
   * (the last bytes did not fit), else null.
   */
  finish(jobId: number): TraceLost | null;
  /** Whether the job's log may still grow (someone appended and finish() was not called). */
  isLive(jobId: number): boolean;
  /** How many live followers the job's log has (someone is watching it). */
  followers(jobId: number): number;
  /** Commits what is pending now, before acknowledging bytes to a writer in another process (a remote runner). */
  flush(): void;
  /**
   * The server is stopping: commits what is pending and calls end() on every follower, also of logs that are not
   * complete (a follower may resume at its offset after the restart). Later follows end after their backlog.
   */
  close(): void;
}

export interface TraceStoreOptions {
  /** Where refused bytes are reported (the server log); silent when absent. */
  logger?: Logger;
  /** The database file, named in those reports; its folder's free space is checked before each commit. */
  path?: string;
}

/** The chunks as one array, without a copy when there is only one (a 100 MB log must not be copied twice). */
const joined = (chunks: Uint8Array[]): Uint8Array => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));

export function createTraceStore(db: Db, options: TraceStoreOptions = {}): TraceStore {
  const logger = options.logger ?? silentLogger;
  const databaseFile = options.path ?? "the database";
  const belowHeadroom = headroomCheck(options.path);
  const live = new Map<number, LiveTrace>();
  const { traceChunks: chunks } = repositoriesOf(db);
  /** Traces with pending bytes, committed together by the next commit(). */
  const dirty = new Set<LiveTrace>();
  let pendingBytes = 0;
  let ingested = 0;
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

  /**
   * Writes every pending byte in one transaction, then hands the committed bytes to the followers. When the
   * database refuses (a full disk), each job's bytes are tried alone, and a job whose bytes still do not fit loses
   * them: its log ends at what was committed, and its writer is told at the next append (TraceLost). So a failing
   * job costs no other job its bytes, and refused bytes never pile up in memory.
   */
  function commit() {
    if (timer) clearTimeout(timer);
    timer = null;
    if (dirty.size === 0) return;
    const batch = [...dirty].map((s) => ({ s, jobId: s.jobId, offset: s.committed, data: joined(s.pending) }));
    dirty.clear();
    pendingBytes = 0;
    for (const { s } of batch) s.pending = [];
    const full = belowHeadroom();
    if (full) {
      // Only the closing line of a job that was told of its loss still goes in.
      const closing = batch.filter(({ s, data }) => s.closingAfterLoss && data.length <= CLOSING_LINE_BYTES);
      for (const one of batch) if (!closing.includes(one)) lose(one.s, full);
      batch.splice(0, batch.length, ...closing);
    }
    // A job deleted (with its project or pipeline) while it still wrote comes back as gone: its log goes with it.
    const goneIds = new Set<number>();
    let kept = batch;
    try {
      for (const id of chunks.appendBatch(batch)) goneIds.add(id);
    } catch {
      kept = batch.filter((one) => {
        try {
          for (const id of chunks.appendBatch([one])) goneIds.add(id);
          return true;
        } catch (error) {
          lose(one.s, error);
          return false;
        }
      });
    }
    for (const { s, offset, data } of kept) {
      s.committed = offset + data.length;
      if (goneIds.has(s.jobId) && live.get(s.jobId) === s) live.delete(s.jobId);
    }
    // Only now, with the store consistent, may a follower's callback run (and even throw).
    for (const { s, data } of kept) if (!goneIds.has(s.jobId)) for (const l of s.listeners) l.data(data);
  }

  function lose(s: LiveTrace, error: unknown) {
    const diskFull = isDiskFull(error);
    const why = error instanceof Error ? error.message : String(error);
    s.size = s.committed;
    s.lost = new TraceLost(
      diskFull ? `the disk is full: ${databaseFile}: ${why}` : `${databaseFile}: ${why}`,
      s.committed,
      diskFull,
    );
    logger.error(
      diskFull ? "the disk is full: a job's log bytes were dropped" : "a job's log bytes could not be stored",
      {
        job: s.jobId,
        path: databaseFile,
        error,
      },
    );
  }

  function readStored(jobId: number, from: number, to: number): Uint8Array {
    const rows = chunks.chunksFrom(jobId, from, to);
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
      s.written = true;
      s.pending.push(bytes);
      s.size += bytes.length;
      dirty.add(s);
      pendingBytes += bytes.length;
      ingested += bytes.length;
      if (pendingBytes >= COMMIT_BYTES) commit();
      else timer ??= setTimeout(commit, COMMIT_MS);
    },
    ingestedBytes: () => ingested,
    takeLoss(jobId) {
      const s = live.get(jobId);
      const lost = s?.lost ?? null;
      if (s && lost) {
        s.lost = undefined;
        s.closingAfterLoss = true;
      }
      return lost;
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
      if (!s) return null;
      if (dirty.has(s)) commit();
      live.delete(jobId);
      for (const l of s.listeners) l.end();
      return s.lost ?? null;
    },
    isLive: (jobId) => live.has(jobId),
    followers: (jobId) => live.get(jobId)?.listeners.size ?? 0,
    flush: () => commit(),
    close() {
      closed = true;
      commit();
      for (const s of live.values()) for (const l of s.listeners) l.end();
      for (const s of live.values()) s.listeners.clear();
    },
  };
}
