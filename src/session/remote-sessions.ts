// Terminals of jobs on remote runners: the server's broker gets a proxied target on first use, so that viewers,
// late-join screens, recordings, audit and re-authorization work exactly as for the embedded runner's jobs.
import type { TerminalSessions } from "./broker.ts";
import { type RemoteSession, remoteTerminalTarget } from "./remote-target.ts";

/** The runner's closing reasons that end the server's session with the same reason. */
const FORWARDED = new Set(["job_finished", "canceled", "session_timeout"]);

/**
 * Wraps the server's broker: a job that offered no terminal in process but whose row names a remote session is
 * available, and connecting to it offers a target that dials the runner. The offer is withdrawn when the remote
 * shell goes away, so that the next connection looks the job up again.
 */
export function withRemoteTerminals(
  inner: TerminalSessions,
  lookup: (jobId: number) => (RemoteSession & { secrets?: string[] }) | null,
): TerminalSessions {
  const remote = new Set<number>();
  return {
    ...inner,
    available(jobId) {
      const session = lookup(jobId);
      // A remote offer whose job has ended since (its runner went away without a word) is dropped here.
      if (!session && remote.delete(jobId)) inner.withdraw(jobId, "job_finished");
      return inner.available(jobId) || session !== null;
    },
    async connect(jobId, request, makeClient) {
      if (!inner.available(jobId)) {
        const session = lookup(jobId);
        if (!session) return null;
        const withdraw = (reason: string) => {
          if (!remote.delete(jobId)) return;
          inner.withdraw(jobId, (FORWARDED.has(reason) ? reason : "job_finished") as "job_finished");
        };
        remote.add(jobId);
        inner.offer(remoteTerminalTarget(jobId, session, withdraw, session.secrets));
      }
      try {
        return await inner.connect(jobId, request, makeClient);
      } catch (error) {
        if (remote.delete(jobId)) inner.withdraw(jobId, "job_finished"); // the runner was not reachable
        throw error;
      }
    },
  };
}
