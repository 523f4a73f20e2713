// Sends a job's log to the coordinator in order, batching what piles up while an append is in flight.
import type { Coordinator } from "../domain/coordinator.ts";
import { TraceLost } from "../domain/trace-lost.ts";

/** Bytes per append at most (GitLab's runner sends its trace in patches of this order too). */
const MAX_BATCH = 1024 * 1024;
/** Waits between attempts when an append fails (a remote coordinator may be briefly unreachable). */
const RETRY_DELAYS_MS = [100, 500, 2000];

/** GitLab's default `output_limit`: 4096 KiB. */
export const DEFAULT_OUTPUT_LIMIT_BYTES = 4096 * 1024;

/** gitlab-runner's closing words when a log reaches `output_limit`, in its bold yellow. */
export function limitExceededMessage(limitBytes: number): string {
  return (
    `\n\x1b[33;1mJob's log exceeded limit of ${limitBytes} bytes.\n` +
    "Job execution will continue but no more output will be collected.\x1b[0;m\n"
  );
}

/**
 * Call order: write()* → close() once. write() never waits: bytes are queued and at most one append is in
 * flight; whatever arrives meanwhile goes out together in the next one. close() resolves after the last
 * append resolved. When an append keeps failing, the writer stops sending (offsets would no longer line up),
 * drops later bytes, and close() rejects with the error. Once `limitBytes` bytes were written, the writer sends
 * gitlab-runner's limit message and drops everything after it (the job keeps running). When the server says it
 * dropped bytes (TraceLost: a full disk), the writer continues at the server's end of the log, tells `onLost`, and
 * drops what is written until resume(): the job's closing line then goes out alone, and is kept if it fits.
 */
export interface TraceWriter {
  write(bytes: Uint8Array): void;
  /** After a TraceLost: send what is written from now on again (the closing line). */
  resume(): void;
  close(): Promise<void>;
}

export function createTraceWriter(
  coordinator: Coordinator,
  jobId: number,
  limitBytes = DEFAULT_OUTPUT_LIMIT_BYTES,
  onLost: (error: TraceLost) => void = () => {},
): TraceWriter {
  let queue: Uint8Array[] = [];
  let accepted = 0;
  let limitReached = false;
  let sent = 0;
  let inFlight: Promise<void> | null = null;
  let failure: unknown = null;
  /** The server dropped bytes: later output is dropped here too, until resume(). */
  let dropping = false;

  async function appendWithRetry(bytes: Uint8Array) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await coordinator.appendTrace(jobId, sent, bytes);
      } catch (err) {
        if (err instanceof TraceLost) throw err; // retrying the same offset cannot help
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined) throw err;
        await Bun.sleep(delay);
      }
    }
  }

  async function pump() {
    while (queue.length > 0 && failure === null) {
      const batch = takeBatch();
      try {
        await appendWithRetry(batch);
        sent += batch.length;
      } catch (err) {
        if (err instanceof TraceLost) {
          sent = err.committed;
          queue = [];
          dropping = true;
          onLost(err);
          continue;
        }
        failure = err;
        queue = [];
      }
    }
    inFlight = null;
  }

  function takeBatch(): Uint8Array {
    let size = 0;
    let count = 0;
    while (count < queue.length && (count === 0 || size + queue[count]!.length <= MAX_BATCH)) {
      size += queue[count]!.length;
      count++;
    }
    return Buffer.concat(queue.splice(0, count));
  }

  return {
    write(bytes) {
      if (bytes.length === 0 || failure !== null || limitReached || dropping) return;
      const room = limitBytes - accepted;
      if (bytes.length >= room) {
        limitReached = true;
        queue.push(bytes.slice(0, room), new TextEncoder().encode(limitExceededMessage(limitBytes)));
      } else queue.push(bytes.slice());
      accepted += bytes.length;
      // Start on the next turn so that lines written together in one synchronous run share an append.
      inFlight ??= new Promise((resolve) => setImmediate(resolve)).then(pump);
    },
    resume() {
      dropping = false;
    },
    async close() {
      while (inFlight) await inFlight;
      if (failure !== null) throw failure;
    },
  };
}
