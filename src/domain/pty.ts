// The terminal endpoint every PTY in porthole offers: a local PTY, a shell in a job, a shell in a container.

/** A PTY-like endpoint into the job's environment. */
export interface Pty {
  write(bytes: Uint8Array | string): void;
  resize(cols: number, rows: number): void;
  /** Output from the terminal, in order. Only one listener; set it before output is expected. */
  onData(listener: (bytes: Uint8Array) => void): void;
  /** Called once when the shell is gone (exit code, or null when killed). */
  onExit(listener: (code: number | null) => void): void;
  /**
   * Stop delivering output until `resume()`; the program writing into the terminal blocks once the kernel's
   * buffer is full. Executors whose PTY cannot pause make this a no-op and say so in `canPause`.
   */
  pause(): void;
  resume(): void;
  readonly canPause: boolean;
  /** End the shell and everything it started. Safe to call twice. */
  close(): Promise<void>;
}
