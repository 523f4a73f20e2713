// An in-memory TerminalClient for session tests: records what a connection would have been sent.
import type { CloseReason, ServerControl, TerminalClient, TerminalMode } from "./types.ts";

export class CapturingClient implements TerminalClient {
  private text = "";
  readonly controls: ServerControl[] = [];
  closedWith: CloseReason | null = null;
  /** Bytes "on the wire" not yet read: read() takes them, as a slow client finally would. */
  unread = 0;
  received = 0;

  constructor(
    public mode: TerminalMode,
    private readonly slow = false,
  ) {}

  sendOutput(bytes: Uint8Array): void {
    this.text += Buffer.from(bytes).toString("latin1");
    this.received += bytes.length;
    if (this.slow) this.unread += bytes.length;
  }
  sendControl(message: ServerControl): void {
    this.controls.push(message);
  }
  backlog(): number {
    return this.unread;
  }
  close(reason: CloseReason): void {
    this.closedWith = reason;
  }
  read(): void {
    this.unread = 0;
  }
  output(): string {
    return this.text;
  }
  async until(pattern: RegExp, ms = 10_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = this.text.match(pattern);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no ${pattern} in ${JSON.stringify(this.text.slice(-300))}`);
      await Bun.sleep(10);
    }
  }
}
