// One shell in a job's environment shared by its connections: fan-out, the writer/viewer roles, flow control.
import type { Pty } from "../domain/pty.ts";
import { DeferredOutput } from "./deferred-output.ts";
import { FlowGate } from "./flow-gate.ts";
import { DEFAULT_FLOW, type FlowLimits } from "./flow-limits.ts";
import type { SessionRecording } from "./recorder.ts";
import { ScreenMirror } from "./screen-mirror.ts";
import type { CloseReason, Participant, TerminalClient, TerminalMode } from "./types.ts";

interface Member {
  client: TerminalClient;
  /** The connection's number in this session. */
  id: number;
  backlog(): number;
  /** Output that arrived while the client's screen snapshot was being made; sent right after it. */
  queue: Uint8Array[] | null;
  queued: number;
}

const encoder = new TextEncoder();

/**
 * Output goes to every client in order (flow control: flow-gate.ts). Only the `rw` client types and resizes; the
 * session's size is the writer's, and every client is told it (hello, then `size`) so that all draw alike.
 * Call order: attach() per connection → input/resize/drained/takeControl/handOver while attached → detach();
 * end() once, at the end.
 */
export class TerminalSession {
  private readonly members = new Map<TerminalClient, Member>();
  private readonly mirror: ScreenMirror;
  private readonly gate: FlowGate<Member>;
  private ended: Promise<void> | null = null;
  private readonly endListeners: ((reason: CloseReason) => void)[] = [];
  private readonly leaveListeners: (() => void)[] = [];
  private nextMemberId = 1;
  /** Output sent to the clients, on its way to the mirror, the recording and the flow gate. */
  private readonly deferred = new DeferredOutput((chunks) => this.settle(chunks));
  /** Output bytes handed to connections so far (each connection counts), for the metrics. */
  relayedBytes = 0;

  constructor(
    readonly jobId: number,
    private readonly pty: Pty,
    private size: { cols: number; rows: number },
    readonly flow: FlowLimits = DEFAULT_FLOW,
    /** Where the session's output is recorded (relative to data_dir), or null when it is not. */
    private readonly recording: { path: string; recorder: SessionRecording } | null = null,
    /** Values the late joiner's screen replay masks, as the recording does. */
    secrets: readonly string[] = [],
  ) {
    this.mirror = new ScreenMirror(size.cols, size.rows, {}, secrets);
    this.gate = new FlowGate(
      pty,
      flow,
      () => this.members.values(),
      (m) => this.detach(m.client, "too_slow", true),
    );
    pty.onData((bytes) => this.output(bytes));
    pty.onExit((code) => {
      this.deferred.flush();
      for (const m of this.members.keys()) m.sendControl({ type: "exit", code });
      this.recording?.recorder.exit(code);
      void this.end("shell_exited");
    });
  }

  get clientCount(): number {
    return this.members.size;
  }

  /** The recording's path relative to data_dir, for the audit rows of this session's connections. */
  get recordingPath(): string | null {
    return this.recording?.path ?? null;
  }

  get isEnded(): boolean {
    return this.ended !== null;
  }

  /** The mode a new connection gets: `rw` when it asks for it or nobody writes yet, else `ro`. */
  modeFor(wanted: TerminalMode | undefined): TerminalMode {
    if (wanted) return wanted;
    return [...this.members.keys()].some((c) => c.mode === "rw") ? "ro" : "rw";
  }

  /**
   * Adds a client at once (input and resize work from now on): hello first, then the current screen, then live
   * output; the promise resolves once the screen was sent. A new writer replaces the old one (`replaced`).
   */
  async attach(client: TerminalClient): Promise<void> {
    if (this.ended) return client.close("shell_exited");
    if (client.canWrite === false) client.mode = "ro";
    if (client.mode === "rw")
      for (const c of this.members.keys()) if (c.mode === "rw") this.detach(c, "replaced", true);
    const member: Member = {
      client,
      id: this.nextMemberId++,
      queue: [],
      queued: 0,
      backlog: () => member.queued + client.backlog(),
    };
    this.members.set(client, member);
    const { writers, viewers, participants } = this.presence();
    client.sendControl({
      type: "hello",
      job: this.jobId,
      mode: client.mode,
      ...this.size,
      writers,
      viewers,
      you: member.id,
      participants,
    });
    this.announcePresence(client);
    this.deferred.flush();
    const screen = await this.mirror.snapshot();
    if (this.members.get(client) !== member) return;
    if (screen) client.sendOutput(encoder.encode(screen));
    for (const bytes of member.queue ?? []) client.sendOutput(bytes);
    member.queue = null;
    member.queued = 0;
    this.gate.check();
  }

  /** Removes a client; with `notify`, closes it with `reason` first. */
  detach(client: TerminalClient, reason: CloseReason, notify = false): void {
    if (!this.members.delete(client)) return;
    if (notify) client.close(reason);
    this.announcePresence();
    this.drained();
    for (const l of this.leaveListeners) l();
  }

  input(client: TerminalClient, bytes: Uint8Array): void {
    if (client.mode === "rw" && this.members.has(client) && !this.ended) this.pty.write(bytes);
  }

  resize(client: TerminalClient, cols: number, rows: number): void {
    if (client.mode !== "rw" || !this.members.has(client) || this.ended) return;
    if (cols === this.size.cols && rows === this.size.rows) return;
    this.size = { cols, rows };
    this.deferred.flush();
    this.pty.resize(cols, rows);
    this.mirror.resize(cols, rows);
    this.recording?.recorder.resize(cols, rows);
    for (const c of this.members.keys()) if (c !== client) c.sendControl({ type: "size", cols, rows });
  }

  /**
   * A watching client becomes the writer; the writer it replaces keeps watching and is told who took over.
   * Returns who wrote before (null when nobody did), or undefined when the client may not write.
   */
  takeControl(client: TerminalClient): { from: string | null } | undefined {
    if (!this.members.has(client) || this.ended || client.canWrite === false) return undefined;
    if (client.mode === "rw") return { from: nameOf(client) };
    let from: string | null = null;
    for (const c of this.members.keys())
      if (c.mode === "rw") {
        from = nameOf(c);
        this.setMode(c, "ro", client);
      }
    this.setMode(client, "rw", client);
    this.announcePresence();
    return { from };
  }

  /** The writer gives control to the connection numbered `to`; returns its user, or null when it cannot. */
  handOver(client: TerminalClient, to: number): string | null {
    if (client.mode !== "rw" || !this.members.has(client) || this.ended) return null;
    const target = [...this.members.values()].find((m) => m.id === to)?.client;
    if (!target || target === client || target.canWrite === false) return null;
    this.setMode(client, "ro", client);
    this.setMode(target, "rw", client);
    this.announcePresence();
    return nameOf(target);
  }

  /** A marker in the recording (the hold of a job, its resume), at this point of the output. */
  mark(label: string): void {
    this.deferred.flush();
    this.recording?.recorder.marker(label);
  }

  /** A client took some of its backlog (socket drain, or an ack): resume output once everyone is low. */
  drained(): void {
    this.gate.relieved();
  }

  onEnd(listener: (reason: CloseReason) => void): void {
    this.endListeners.push(listener);
  }

  /** Called after any client left (the hold watches for the last one). */
  onLeave(listener: () => void): void {
    this.leaveListeners.push(listener);
  }

  /** Closes every client with `reason`, ends the shell and its processes. Safe to call twice. */
  end(reason: CloseReason): Promise<void> {
    this.ended ??= (async () => {
      this.deferred.stop();
      this.gate.stop();
      for (const client of [...this.members.keys()]) this.detach(client, reason, true);
      for (const l of this.endListeners) l(reason);
      await this.pty.close();
      this.mirror.dispose();
      await this.recording?.recorder.close();
    })();
    return this.ended;
  }

  /** The clients get the chunk first (the writer's echo waits for nothing else); the mirror, the recording and the gate after. */
  private output(bytes: Uint8Array): void {
    for (const m of this.members.values()) {
      if (m.queue) {
        m.queue.push(bytes);
        m.queued += bytes.length;
      } else m.client.sendOutput(bytes);
    }
    this.relayedBytes += bytes.length * this.members.size;
    this.deferred.add(bytes);
  }

  /** Mirrors, records and flow-checks output the clients were sent, in order. */
  private settle(chunks: Uint8Array[]): void {
    for (const bytes of chunks) {
      this.mirror.push(bytes);
      this.recording?.recorder.output(bytes);
    }
    this.gate.check();
  }

  private setMode(client: TerminalClient, mode: TerminalMode, actor: TerminalClient): void {
    client.mode = mode;
    client.sendControl({ type: "mode", mode, by: nameOf(actor), self: client === actor });
  }

  private presence(): { writers: number; viewers: number; participants: Participant[] } {
    const participants = [...this.members.values()].map((m) => ({
      id: m.id,
      user: nameOf(m.client),
      mode: m.client.mode,
      canWrite: m.client.canWrite !== false,
    }));
    const writers = participants.filter((p) => p.mode === "rw").length;
    return { writers, viewers: participants.length - writers, participants };
  }

  private announcePresence(except?: TerminalClient): void {
    const message = { type: "presence" as const, ...this.presence() };
    for (const c of this.members.keys()) if (c !== except) c.sendControl(message);
  }
}

const nameOf = (client: TerminalClient) => client.user ?? "anonymous";
