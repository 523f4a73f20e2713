// Follows a job's log from a resume point and emits rendered ops in batches (the engine of the live log stream).
import type { TraceStore } from "../../../logs/trace-store.ts";
import type { LogStreamEvent } from "./log-ops.ts";
import { LogRenderer } from "./log-renderer.ts";
import { encodeResumeToken, type ResumePoint } from "./resume-token.ts";

export interface LogFollowerSink {
  /** A batch of new ops; never called after `end`. */
  event(e: LogStreamEvent): void;
  /** The log is complete; called once. */
  end(): void;
}

export interface LogFollower {
  /** Ends the follow now, reading whatever the store has past what was received (for a job known to be finished). */
  finish(): void;
  /** Unsubscribes without calling `end` (the client went away). Safe to call twice. */
  stop(): void;
}

/**
 * Subscribes to `traces.follow` from `point.offset` and calls `sink.event` at most every `intervalMs` with the ops
 * rendered since the last call. `unfinished` must be false for a finished job (the store then ends after the backlog).
 */
export function followLog(
  traces: TraceStore,
  jobId: number,
  point: ResumePoint,
  unfinished: boolean,
  sink: LogFollowerSink,
  intervalMs = 100,
): LogFollower {
  const renderer = new LogRenderer(point.state);
  const decoder = new TextDecoder();
  let received = point.offset;
  let lineStart = point.offset;
  let queued: LogStreamEvent["ops"] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let ended = false;
  let unsubscribe: () => void = () => {};

  const emit = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    const ops = queued;
    queued = [];
    sink.event({
      ops,
      pending: renderer.pending(),
      resume: encodeResumeToken({ offset: lineStart, state: renderer.state() }),
    });
  };
  const take = (bytes: Uint8Array) => {
    const nl = bytes.lastIndexOf(10);
    if (nl >= 0) lineStart = received + nl + 1;
    received += bytes.length;
    queued.push(...renderer.feed(decoder.decode(bytes, { stream: true })));
    timer ??= setTimeout(emit, intervalMs);
  };
  const end = () => {
    if (ended) return;
    ended = true;
    unsubscribe();
    queued.push(...renderer.feed(decoder.decode()), ...renderer.flush());
    lineStart = received;
    emit();
    sink.end();
  };

  unsubscribe = traces.follow(jobId, point.offset, unfinished, { data: (b) => !ended && take(b), end });
  return {
    finish() {
      if (ended) return;
      unsubscribe(); // before the read, which commits pending bytes and would also hand them to this listener
      const rest = traces.read(jobId, received);
      if (rest.length > 0) take(rest);
      end();
    },
    stop() {
      ended = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
    },
  };
}
