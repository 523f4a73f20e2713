// Caps on open terminal connections per job and per user, taken before the WebSocket upgrade (429 beyond them).
export interface ConnectionCaps {
  perJob: number;
  perUser: number;
}

/** Counts open terminal connections; a slot is taken before the upgrade and given back when the socket closes. */
export class ConnectionLimits {
  private readonly byJob = new Map<number, number>();
  private readonly byUser = new Map<number, number>();

  constructor(private readonly caps: ConnectionCaps) {}

  /** A release function for the slot taken, or the 429 message naming the cap that is reached. */
  take(jobId: number, userId: number): (() => void) | string {
    if ((this.byJob.get(jobId) ?? 0) >= this.caps.perJob)
      return `429 Too Many Requests - this job already has ${this.caps.perJob} terminal connections (terminal.max_connections_per_job)`;
    if ((this.byUser.get(userId) ?? 0) >= this.caps.perUser)
      return `429 Too Many Requests - you already have ${this.caps.perUser} terminal connections open (terminal.max_connections_per_user)`;
    bump(this.byJob, jobId, 1);
    bump(this.byUser, userId, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      bump(this.byJob, jobId, -1);
      bump(this.byUser, userId, -1);
    };
  }
}

function bump(counts: Map<number, number>, key: number, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}
