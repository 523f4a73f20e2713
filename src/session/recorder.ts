// Records one terminal session's output as an asciicast v3 file: masked, size-capped, appended off the hot path.
import { type FileHandle, mkdir, open } from "node:fs/promises";
import { dirname } from "node:path";
import { createMasker, type Masker } from "../domain/masker.ts";
import { createLogger, type Logger } from "../logger.ts";

export interface RecordingOptions {
  /** The file to create; it must not exist yet. Its folder is made (0700) when missing. */
  path: string;
  /** The terminal's size when the shell started (the header's width and height). */
  size: { cols: number; rows: number };
  /** The file holds output up to this size (the part of an event that fits is kept); a last line then says so. */
  maxBytes: number;
  /** Values replaced with [MASKED] before anything is written. */
  secrets: readonly string[];
  /** Where a failed write is reported (the recording then stops, the terminal goes on); standard error when absent. */
  logger?: Logger;
}

/**
 * A session recording. Call order: output()/resize()/marker() any number of times, exit() at most once → close() once.
 * They only queue; masking, encoding and writing happen later, in order, and never throw to the caller.
 * Input is never recorded: the recorder has no way to take it.
 */
export interface SessionRecording {
  output(bytes: Uint8Array): void;
  resize(cols: number, rows: number): void;
  /** A marker event (`m`) with a label, e.g. the job's `hold` and `resume`. */
  marker(label: string): void;
  /** The exit event (`x`): the shell ended with this status (null when it was killed). */
  exit(code: number | null): void;
  /** Flushes held-back bytes, writes what is queued and closes the file. Safe to call twice. */
  close(): Promise<void>;
}

export const LIMIT_MESSAGE = "\r\n[porthole: recording stopped at the size limit]\r\n";

/** Creates the file with its header line and returns the recording. Throws when the file cannot be created. */
export async function startRecording(options: RecordingOptions): Promise<SessionRecording> {
  await mkdir(dirname(options.path), { recursive: true, mode: 0o700 });
  const file = await open(options.path, "wx", 0o600);
  const started = performance.now();
  const header = {
    version: 3,
    term: { cols: options.size.cols, rows: options.size.rows, type: "xterm-256color" },
    timestamp: Math.floor(Date.now() / 1000),
  };
  const writer = new QueuedWriter(file, options.logger ?? createLogger());
  let size = writer.push(`${JSON.stringify(header)}\n`);
  let stopped = false;
  const decoder = new TextDecoder("utf-8");
  // v3 events carry the time since the previous event; counted in whole milliseconds so that rounding never drifts.
  let lastMs = 0;
  const sinceLast = () => {
    const now = Math.round(performance.now() - started);
    const interval = (now - lastMs) / 1000;
    lastMs = now;
    return interval;
  };

  const lineOf = (time: number, code: string, data: string) => `${JSON.stringify([time, code, data])}\n`;

  function event(code: "o" | "r" | "m" | "x", data: string): void {
    if (stopped || (data.length === 0 && code === "o")) return;
    const time = sinceLast();
    const line = lineOf(time, code, data);
    if (size + Buffer.byteLength(line) <= options.maxBytes) {
      size += writer.push(line);
      return;
    }
    stopped = true;
    const room = options.maxBytes - size;
    // The part of the output that still fits (escapes make a character up to 6 bytes: shrink until it fits).
    let cut = code === "o" ? Math.min(data.length, room) : 0;
    while (cut > 0 && Buffer.byteLength(lineOf(time, code, data.slice(0, cut))) > room) cut = Math.floor(cut * 0.9);
    if (cut > 0) writer.push(lineOf(time, code, data.slice(0, cut)));
    writer.push(lineOf(0, "o", LIMIT_MESSAGE));
  }

  const masker: Masker = createMasker(options.secrets, (masked) =>
    event("o", decoder.decode(masked, { stream: true })),
  );
  // Chunks that arrive in one turn of the event loop become one event: one masking pass and one JSON line
  // instead of one per chunk, after the chunk went to the clients.
  let held: Uint8Array[] = [];
  let flushScheduled = false;
  const flush = () => {
    flushScheduled = false;
    if (held.length === 0) return;
    const chunks = held;
    held = [];
    if (!stopped) masker.write(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
  };
  let closing: Promise<void> | null = null;
  let finished = false;
  /** Writes out what the masker and the decoder still hold; output after this is not recorded. */
  const finishOutput = () => {
    if (finished) return;
    flush();
    finished = true;
    masker.end();
    event("o", decoder.decode());
  };
  return {
    output(bytes) {
      if (stopped || finished) return;
      held.push(bytes);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    },
    resize: (cols, rows) => {
      flush();
      event("r", `${cols}x${rows}`);
    },
    marker: (label) => {
      flush();
      event("m", label);
    },
    exit: (code) => {
      finishOutput();
      event("x", String(code ?? -1));
    },
    close() {
      closing ??= (async () => {
        finishOutput();
        stopped = true;
        await writer.close();
      })();
      return closing;
    },
  };
}

/** Appends queued text to the file one write at a time, so the caller never waits for the disk. */
class QueuedWriter {
  private queue: string[] = [];
  private writing: Promise<void> | null = null;
  private failed = false;

  constructor(
    private readonly file: FileHandle,
    private readonly logger: Logger,
  ) {}

  /** Queues `text` and returns its size in bytes. */
  push(text: string): number {
    if (this.failed) return 0;
    this.queue.push(text);
    this.writing ??= this.drain(); // drain() awaits before it empties `writing`, so this keeps its promise
    return Buffer.byteLength(text);
  }

  async close(): Promise<void> {
    await this.writing;
    await this.file.close();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const text = this.queue.join("");
        this.queue = [];
        await this.file.write(text);
      }
    } catch (error) {
      this.failed = true;
      this.queue = [];
      this.logger.warn("the terminal recording stopped", { error });
    } finally {
      this.writing = null;
    }
  }
}
