// Debugging a job (porthole's own): hold its environment when the script fails, pause at a breakpoint, Continue.

/** Where a "Retry with terminal" job pauses. `script` lines are 1-based; `on_failure` holds a failed script. */
export type Breakpoint =
  | { kind: "before_script" }
  | { kind: "before_script_end" }
  | { kind: "script"; line: number }
  | { kind: "on_failure" };

/** A job's debug settings as stored in its spec and sent to the runner. */
export interface DebugSpec {
  /** `debug: on_failure`: seconds a failed script's environment waits for a terminal; absent or 0: off. */
  onFailure?: number;
  /** Set by "Retry with terminal" on the new try only. */
  breakpoint?: Breakpoint;
}

/** `before_script`, `before_script_end`, `script:<line>`, `on_failure`: the API's and the form's words. */
export function parseBreakpoint(text: string): Breakpoint | null {
  if (text === "before_script" || text === "before_script_end" || text === "on_failure") return { kind: text };
  const line = /^script:([1-9][0-9]{0,5})$/.exec(text)?.[1];
  return line ? { kind: "script", line: Number(line) } : null;
}

export function breakpointText(b: Breakpoint): string {
  return b.kind === "script" ? `script:${b.line}` : b.kind;
}

/** The breakpoint in words: "before script line 2". */
export function breakpointWhere(b: Breakpoint): string {
  if (b.kind === "script") return `before script line ${b.line}`;
  if (b.kind === "before_script") return "before before_script";
  if (b.kind === "before_script_end") return "at the end of before_script";
  return "after the script failed";
}

/** What the job page and the API show while a job waits for a terminal. */
export interface DebugPause {
  kind: "breakpoint" | "on_failure";
  /** "before script line 2", "after the script failed with exit code 3". */
  where: string;
  since: Date;
  /** When the wait ends by itself; null: only Continue (or cancel, or the job timeout) ends it. */
  endsAt: Date | null;
}

/**
 * The jobs waiting for a terminal, shared by the runner (which waits) and the server (which shows and continues).
 * Order: the runner calls wait() and awaits it; continue() from anyone ends it. One wait per job at a time.
 */
export interface DebugPauses {
  /** Resolves when continue() is called for the job, or `signal` aborts; shows `pause` meanwhile. */
  wait(jobId: number, pause: DebugPause, signal: AbortSignal): Promise<void>;
  /** Ends the job's wait at once; false when it is not waiting. */
  continue(jobId: number): boolean;
  current(jobId: number): DebugPause | null;
  /** Calls `listener` when a job starts or stops waiting (the job page updates live). Returns an unsubscribe. */
  onChange(listener: (jobId: number) => void): () => void;
}

/** An in-process registry (the embedded runner and the server share it). */
export function createDebugPauses(): DebugPauses {
  const waiting = new Map<number, { pause: DebugPause; resume: () => void }>();
  const listeners = new Set<(jobId: number) => void>();
  const changed = (jobId: number) => {
    for (const l of listeners) l(jobId);
  };
  return {
    wait(jobId, pause, signal) {
      return new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener("abort", done);
          if (waiting.get(jobId)?.resume === done) {
            waiting.delete(jobId);
            changed(jobId);
          }
          resolve();
        };
        if (signal.aborted) return resolve();
        waiting.set(jobId, { pause, resume: done });
        signal.addEventListener("abort", done, { once: true });
        changed(jobId);
      });
    },
    continue(jobId) {
      const entry = waiting.get(jobId);
      entry?.resume();
      return entry !== undefined;
    },
    current: (jobId) => waiting.get(jobId)?.pause ?? null,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
