// Decides when a shared terminal's output must pause (a client lags) and resume, and which laggards to drop.
import type { Pty } from "../domain/pty.ts";
import type { FlowLimits } from "./flow-limits.ts";

/** A connection as the gate sees it: how many output bytes it has not taken yet (its role does not matter). */
export interface Lagging {
  backlog(): number;
}

/**
 * Call check() after output was sent and relieved() after a client took some of it (drain, ack, left).
 * Any client past highWater pauses the PTY; it resumes once all are below lowWater. When it is still paused after
 * stallMs and some client keeps up, every client still past lowWater — viewer or writer — is handed to `drop`, so
 * one stalled connection never freezes the others (a client alone is never dropped: pausing is its backpressure).
 * A PTY that cannot pause instead drops any client past hardLimit. stop() once, when the session ends.
 */
export class FlowGate<C extends Lagging> {
  private paused = false;
  private stallTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly pty: Pty,
    private readonly limits: FlowLimits,
    private readonly clients: () => Iterable<C>,
    private readonly drop: (client: C) => void,
  ) {}

  check(): void {
    for (const c of this.clients()) {
      const behind = c.backlog();
      if (behind <= this.limits.highWater) continue;
      if (!this.pty.canPause) {
        if (behind > this.limits.hardLimit) this.drop(c);
        continue;
      }
      if (this.paused) return;
      this.paused = true;
      this.pty.pause();
      this.stallTimer = setTimeout(() => this.dropStalled(), this.limits.stallMs);
      return;
    }
  }

  relieved(): void {
    if (!this.paused) return;
    for (const c of this.clients()) if (c.backlog() > this.limits.lowWater) return;
    this.paused = false;
    this.stop();
    this.pty.resume();
  }

  stop(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = null;
  }

  private dropStalled(): void {
    this.stallTimer = null;
    if (!this.paused) return;
    const all = [...this.clients()];
    const behind = all.filter((c) => c.backlog() > this.limits.lowWater);
    if (behind.length === all.length) {
      this.stallTimer = setTimeout(() => this.dropStalled(), this.limits.stallMs);
      return;
    }
    for (const c of behind) this.drop(c);
    this.relieved();
  }
}
