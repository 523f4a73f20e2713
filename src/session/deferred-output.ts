// Holds a session's short output for a few ms before it is mirrored, recorded and flow-checked, so that a
// keystroke's echo leaves before that bookkeeping (docs/pty.md, "Keystroke echo").

/**
 * A chunk this short (a keystroke's echo, a prompt) waits for the next tick; longer output, or more than
 * MAX_HELD bytes in all, settles at once, so the flow gate never sees a flood late.
 */
const SHORT_BYTES = 256;
const MAX_HELD = 4096;
const TICK_MS = 5;
/** The timer stays armed while output keeps coming and stops after this many quiet ticks (100 ms). */
const QUIET_TICKS = 20;

/**
 * Bun sends what a WebSocket message handler sent only after the handler, its microtasks and immediates, and arming a
 * timer in between costs the echo ~5 µs too: so the held chunks are settled by a timer that is armed once per burst
 * of output and re-arms itself from its own callback, never from the handler. Call order: add()/flush() any
 * number of times, stop() once (it flushes).
 */
export class DeferredOutput {
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private quietTicks = 0;
  private stopped = false;

  constructor(private readonly settle: (chunks: Uint8Array[]) => void) {}

  add(chunk: Uint8Array): void {
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (chunk.length > SHORT_BYTES || this.heldBytes > MAX_HELD || this.stopped) return void this.flush();
    this.quietTicks = 0;
    this.timer ??= setTimeout(this.tick, TICK_MS);
  }

  /** Settles everything held now, in order (before a snapshot, a resize, a marker, the exit). */
  flush(): void {
    if (this.held.length === 0) return;
    const chunks = this.held;
    this.held = [];
    this.heldBytes = 0;
    this.settle(chunks);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flush();
  }

  private readonly tick = () => {
    this.timer = null;
    if (this.held.length > 0) this.flush();
    else if (++this.quietTicks >= QUIET_TICKS) return;
    if (!this.stopped) this.timer = setTimeout(this.tick, TICK_MS);
  };
}
