// Decides when a shared terminal's output must pause (a client lags) and resume, and which viewers to drop.
import type { Pty } from "../domain/pty.ts";
import type { FlowLimits } from "./flow-limits.ts";
import type { TerminalMode } from "./types.ts";

/** A connection as the gate sees it: its role and how many output bytes it has not taken yet. */
export interface Lagging {
  mode: TerminalMode;
  backlog(): number;
}

/**
 * Call check() after output was sent and relieved() after a client took some of it (drain, ack, left).
 * Any client past highWater pauses the PTY; it resumes once all are below lowWater. A viewer that keeps it paused
 * for viewerStallMs while every writer keeps up is handed to `drop`. A PTY that cannot pause instead drops any
 * client past hardLimit. stop() once, when the session ends.
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
      this.stallTimer = setTimeout(() => this.dropStalledViewers(), this.limits.viewerStallMs);
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

  private dropStalledViewers(): void {
    this.stallTimer = null;
    if (!this.paused) return;
    const all = [...this.clients()];
    const writers = all.filter((c) => c.mode === "rw");
    if (writers.length === 0 || writers.some((c) => c.backlog() > this.limits.lowWater)) {
      this.stallTimer = setTimeout(() => this.dropStalledViewers(), this.limits.viewerStallMs);
      return;
    }
    for (const c of all) if (c.mode === "ro" && c.backlog() > this.limits.lowWater) this.drop(c);
    this.relieved();
  }
}
