// The server's view of debug waits: its embedded runner's in process, a remote runner's through its session server.
import type { DebugPause, DebugPauses } from "../domain/debug.ts";
import { pinTo, type RemoteSession } from "../session/remote-target.ts";

/** How long the server waits for a runner's session server to answer a debug request. */
const REMOTE_TIMEOUT_MS = 5000;

export interface DebugControl {
  /** The job's wait for a terminal, or null (also when its runner cannot be reached). */
  current(jobId: number): Promise<DebugPause | null>;
  /** Ends the job's wait; false when it is not waiting (or its runner cannot be reached). */
  continue(jobId: number): Promise<boolean>;
}

/** Remote jobs are asked at `<session url>/debug` and `/continue`, with the session's token and pinned certificate. */
export function createDebugControl(
  local: DebugPauses,
  remoteSession: (jobId: number) => RemoteSession | null,
): DebugControl {
  async function ask(jobId: number, what: "debug" | "continue"): Promise<Response | null> {
    const session = remoteSession(jobId);
    if (!session) return null;
    try {
      return await fetch(`${session.url.replace(/\/+$/, "")}/${what}`, {
        method: what === "continue" ? "POST" : "GET",
        headers: { Authorization: session.authorization },
        signal: AbortSignal.timeout(REMOTE_TIMEOUT_MS),
        tls: { ca: session.certificate, checkServerIdentity: pinTo(session.certificate) },
      } as RequestInit);
    } catch {
      return null;
    }
  }

  return {
    async current(jobId) {
      const here = local.current(jobId);
      if (here) return here;
      const res = await ask(jobId, "debug");
      if (!res?.ok) return null;
      const { pause } = (await res.json().catch(() => ({}))) as { pause?: Record<string, unknown> | null };
      if (!pause || (pause.kind !== "breakpoint" && pause.kind !== "on_failure")) return null;
      return {
        kind: pause.kind,
        where: String(pause.where ?? ""),
        since: new Date(String(pause.since)),
        endsAt: pause.endsAt ? new Date(String(pause.endsAt)) : null,
      };
    },
    async continue(jobId) {
      if (local.continue(jobId)) return true;
      return (await ask(jobId, "continue"))?.ok ?? false;
    },
  };
}
