// The terminal broker: the runner offers each job's environment, connections attach to one shared session per job.
import type { TerminalBroker, TerminalTarget } from "../domain/coordinator.ts";
import { goDuration } from "../domain/go-duration.ts";
import { createLogger, type Logger } from "../logger.ts";
import { DEFAULT_FLOW, type FlowLimits } from "./flow-limits.ts";
import { openSessionRecording, type RecordingSettings } from "./recordings.ts";
import { TerminalSession } from "./terminal-session.ts";
import type { CloseReason, TerminalClient, TerminalMode } from "./types.ts";

export interface TerminalBrokerOptions {
  /** `[session_server] session_timeout`: how long a finished script's job is held while a terminal is attached. */
  sessionTimeoutSeconds: number;
  /** `[terminal] max_session_time`: a shell is ended after this long; 0 = no limit. */
  maxSessionTimeSeconds: number;
  flow?: Partial<FlowLimits>;
  /** Each session's output is recorded under `<dataDir>/recordings/` unless absent or `maxBytes` is 0. */
  recordings?: RecordingSettings;
  /** Where a recording that cannot be made is reported (the terminal opens anyway); standard error when absent. */
  logger?: Logger;
}

/** A connection attached to a session: what the WebSocket layer forwards to it. */
export interface Attachment {
  readonly mode: TerminalMode;
  input(bytes: Uint8Array): void;
  resize(cols: number, rows: number): void;
  /** The client took some of its backlog. */
  drained(): void;
  /** The connection went away (or is being closed by the caller with `reason`). */
  detach(reason: CloseReason): void;
  /** This watching connection becomes the writer: who wrote before, or undefined when it may not write. */
  takeControl(): { from: string | null } | undefined;
  /** The writing connection gives control to connection `to` of the session: that user, or null when it cannot. */
  handOver(to: number): string | null;
}

export interface TerminalSessions extends TerminalBroker {
  /** Whether the job's environment currently offers a terminal (checked before a WebSocket upgrade). */
  available(jobId: number): boolean;
  /** Calls `listener` with the job's id each time a job's environment offers a terminal; returns the unsubscribe. */
  onOffer(listener: (jobId: number) => void): () => void;
  /**
   * Attaches a connection to the job's session, starting the shell on first use at `size`. `makeClient` is
   * called once with the mode the connection gets and the session's recording path (relative to data_dir, or null).
   * Returns null (and makes no client) when no terminal is offered.
   * Throws when the environment fails to open a shell.
   */
  connect(
    jobId: number,
    request: { mode?: TerminalMode; size: { cols: number; rows: number } },
    makeClient: (mode: TerminalMode, recordingPath: string | null) => TerminalClient,
  ): Promise<Attachment | null>;
  /** Open shells, connections attached to them, and output bytes relayed to connections since the start. */
  stats(): { terminals: number; viewers: number; bytesRelayed: number };
  /** Ends every session (server shutdown). */
  stop(): Promise<void>;
  /** While a finished script's job is held for an attached terminal: when the hold ends (session_timeout). */
  holdOf(jobId: number): { endsAt: Date } | null;
  /**
   * The job is held (after its script, at a breakpoint, after a failure) or goes on: a `hold` or `resume` marker in
   * its recording. A repeat is ignored; a session that starts while the job is held begins with `hold`.
   */
  mark(jobId: number, label: "hold" | "resume"): void;
}

interface Offer {
  target: TerminalTarget;
  session: Promise<TerminalSession> | null;
  /** Sessions started so far (numbers the recordings). */
  started: number;
}

export function createTerminalBroker(options: TerminalBrokerOptions): TerminalSessions {
  const flow = { ...DEFAULT_FLOW, ...options.flow };
  const offers = new Map<number, Offer>();
  const offerListeners = new Set<(jobId: number) => void>();
  const logger = options.logger ?? createLogger();
  const running = new Set<TerminalSession>();
  const holds = new Map<number, Date>();
  /** Jobs held now (marked `hold`, not yet `resume`). */
  const held = new Set<number>();
  let relayedByEnded = 0;

  function sessionFor(offer: Offer, size: { cols: number; rows: number }): Promise<TerminalSession> {
    if (offer.session) return offer.session;
    const opening = (async () => {
      const { jobId, secrets = [] } = offer.target;
      const recording = await openSessionRecording(
        options.recordings,
        { jobId, n: ++offer.started, size, secrets },
        logger,
      );
      const pty = await offer.target.open(size).catch(async (error: unknown) => {
        await recording?.recorder.close();
        throw error;
      });
      const session = new TerminalSession(jobId, pty, size, flow, recording, secrets);
      if (held.has(jobId)) session.mark("hold");
      const limit = options.maxSessionTimeSeconds;
      const timer = limit > 0 ? setTimeout(() => void session.end("max_session_time"), limit * 1000) : null;
      if (offer.target.endWhenUnattended)
        session.onLeave(() => session.clientCount === 0 && void session.end("client_closed"));
      running.add(session);
      session.onEnd(() => {
        running.delete(session);
        relayedByEnded += session.relayedBytes;
        if (timer) clearTimeout(timer);
        if (offer.session === opening) offer.session = null; // the next connection starts a new shell
      });
      if (offers.get(offer.target.jobId) !== offer) void session.end("job_finished"); // withdrawn meanwhile
      return session;
    })();
    offer.session = opening;
    opening.catch(() => {
      if (offer.session === opening) offer.session = null;
    });
    return opening;
  }

  function mark(jobId: number, label: "hold" | "resume"): void {
    if (held.has(jobId) === (label === "hold")) return;
    if (label === "hold") held.add(jobId);
    else held.delete(jobId);
    void offers
      .get(jobId)
      ?.session?.then((session) => session.mark(label))
      .catch(() => {});
  }

  async function endOffer(offer: Offer, reason: CloseReason): Promise<void> {
    const session = await offer.session?.catch(() => null);
    await session?.end(reason);
  }

  return {
    offer(target) {
      offers.set(target.jobId, { target, session: null, started: 0 });
      for (const listener of offerListeners) listener(target.jobId);
    },

    onOffer(listener) {
      offerListeners.add(listener);
      return () => offerListeners.delete(listener);
    },

    async hold(jobId, log, signal) {
      const session = await offers.get(jobId)?.session?.catch(() => null);
      const seconds = options.sessionTimeoutSeconds;
      if (!session || session.isEnded || session.clientCount === 0 || seconds <= 0 || signal.aborted) return;
      log(`Terminal is connected, will time out in ${goDuration(seconds)}...`);
      holds.set(jobId, new Date(Date.now() + seconds * 1000));
      mark(jobId, "hold");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          done(); // first: clients closed by the timeout are not "the last terminal left"
          void session.end("session_timeout");
        }, seconds * 1000);
        const done = () => {
          clearTimeout(timer);
          if (holds.delete(jobId)) mark(jobId, "resume");
          signal.removeEventListener("abort", done);
          resolve();
        };
        signal.addEventListener("abort", done, { once: true });
        session.onLeave(() => {
          if (session.clientCount > 0 || !holds.has(jobId)) return;
          log("The last terminal left; the job continues.");
          done();
        });
        session.onEnd(done);
      });
    },

    mark,

    holdOf(jobId) {
      const endsAt = holds.get(jobId);
      return endsAt ? { endsAt } : null;
    },

    withdraw(jobId, reason) {
      const offer = offers.get(jobId);
      if (!offer) return;
      offers.delete(jobId);
      held.delete(jobId);
      void endOffer(offer, reason);
    },

    available: (jobId) => offers.has(jobId),

    async connect(jobId, request, makeClient) {
      const offer = offers.get(jobId);
      if (!offer) return null;
      const session = await sessionFor(offer, request.size);
      const client = makeClient(session.modeFor(request.mode), session.recordingPath);
      void session.attach(client);
      return {
        get mode() {
          return client.mode;
        },
        input: (bytes) => session.input(client, bytes),
        resize: (cols, rows) => session.resize(client, cols, rows),
        drained: () => session.drained(),
        detach: (reason) => session.detach(client, reason),
        takeControl: () => session.takeControl(client),
        handOver: (to) => session.handOver(client, to),
      };
    },

    stats() {
      let viewers = 0;
      let bytesRelayed = relayedByEnded;
      for (const session of running) {
        viewers += session.clientCount;
        bytesRelayed += session.relayedBytes;
      }
      return { terminals: running.size, viewers, bytesRelayed };
    },

    async stop() {
      const all = [...offers.values()];
      offers.clear();
      await Promise.all(all.map((offer) => endOffer(offer, "server_stopping")));
    },
  };
}
