// A server-side copy of a terminal's screen (headless xterm.js), so that a late joiner sees the screen at once.
import { SerializeAddon } from "@xterm/addon-serialize";
import { Terminal } from "@xterm/headless";
import { createMasker, type Masker } from "../domain/masker.ts";

type Op = Uint8Array | { cols: number; rows: number };

export interface MirrorLimits {
  /** Unparsed output beyond this is cut down to `keepTail` (a flood must not cost unbounded memory or CPU). */
  trimAbove: number;
  keepTail: number;
  /** Output is parsed once the terminal has been quiet this long (or when a snapshot is asked for). */
  idleMs: number;
  /** Rows of scrollback a snapshot carries above the screen. */
  scrollback: number;
}

const DEFAULTS: MirrorLimits = { trimAbove: 4 << 20, keepTail: 1 << 20, idleMs: 50, scrollback: 500 };

/**
 * Output is queued and parsed lazily (when idle, or for a snapshot), so mirroring costs the live stream nothing;
 * during a flood longer than `trimAbove` only the last `keepTail` bytes are kept, which is enough to repaint any
 * screen that is still scrolling. push()/resize() record in stream order; snapshot() answers for exactly the
 * output pushed before it was called, with `secrets` replaced by [MASKED] as in the recording (the few bytes that
 * could still be the start of a secret wait for the next push).
 */
export class ScreenMirror {
  private readonly term: Terminal;
  private readonly serializer = new SerializeAddon();
  private readonly limits: MirrorLimits;
  private pending: Op[] = [];
  private pendingBytes = 0;
  private resetFirst = false;
  private lastPushAt = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  private readonly masker: Masker;

  constructor(cols: number, rows: number, limits: Partial<MirrorLimits> = {}, secrets: readonly string[] = []) {
    this.limits = { ...DEFAULTS, ...limits };
    this.masker = createMasker(secrets, (masked) => this.enqueue(masked));
    this.term = new Terminal({ cols, rows, scrollback: this.limits.scrollback, allowProposedApi: true });
    this.term.loadAddon(this.serializer as unknown as Parameters<Terminal["loadAddon"]>[0]);
  }

  push(bytes: Uint8Array): void {
    if (!this.disposed) this.masker.write(bytes);
  }

  private enqueue(bytes: Uint8Array): void {
    if (this.disposed || bytes.length === 0) return;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes > this.limits.trimAbove) this.trim();
    this.lastPushAt = performance.now();
    this.idleTimer ??= setTimeout(() => this.onIdleCheck(), this.limits.idleMs);
  }

  resize(cols: number, rows: number): void {
    if (!this.disposed) this.pending.push({ cols, rows });
  }

  /** The screen (and some scrollback) as escape sequences that repaint it on a fresh terminal. */
  async snapshot(): Promise<string> {
    await this.feed();
    return this.disposed ? "" : this.serializer.serialize({ scrollback: this.limits.scrollback });
  }

  dispose(): void {
    this.disposed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.pending = [];
    this.term.dispose();
  }

  private onIdleCheck(): void {
    this.idleTimer = null;
    const quietFor = performance.now() - this.lastPushAt;
    if (quietFor >= this.limits.idleMs) void this.feed();
    else this.idleTimer = setTimeout(() => this.onIdleCheck(), this.limits.idleMs - quietFor);
  }

  private trim(): void {
    const kept: Op[] = [];
    let keptBytes = 0;
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const op = this.pending[i]!;
      if (!(op instanceof Uint8Array)) kept.unshift(op);
      else if (keptBytes < this.limits.keepTail) {
        kept.unshift(op);
        keptBytes += op.length;
      }
    }
    this.pending = kept;
    this.pendingBytes = keptBytes;
    this.resetFirst = true;
  }

  /** Hands the queue to the parser; resolves once all of it is parsed (write callbacks run in order). */
  private feed(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    const ops = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    if (this.resetFirst) {
      this.resetFirst = false;
      this.term.write("", () => this.term.reset());
    }
    for (const op of ops) {
      if (op instanceof Uint8Array) this.term.write(op);
      else this.term.write("", () => this.term.resize(op.cols, op.rows));
    }
    return new Promise((resolve) => this.term.write("", resolve));
  }
}
