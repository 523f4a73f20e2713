// When open terminals are re-checked: at once when the database's access generation moves, and periodically.
import { accessGeneration } from "../../store/access-generation.ts";
import type { Db } from "../../store/db.ts";

export interface AccessWatchTimes {
  /** How often the access generation is read: the most a revocation waits before terminals are re-checked. */
  pollMs: number;
  /** How often every connection is re-checked although nothing was written (expiry dates passing, a backstop). */
  recheckMs: number;
}

/**
 * Calls `recheck` after any commit that may have narrowed access, from this process or another (the CLI), and
 * every `recheckMs`. Failures go to `log`; stop() ends the timers.
 */
export function watchAccess(
  db: Db,
  recheck: () => void,
  times: AccessWatchTimes,
  log: (line: string) => void,
): { stop(): void } {
  const guarded = (work: () => void) => () => {
    try {
      work();
    } catch (error) {
      log(`terminal access re-check failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  let seen = accessGeneration(db);
  const poll = setInterval(
    guarded(() => {
      const generation = accessGeneration(db);
      if (generation === seen) return;
      recheck();
      seen = generation; // only once every connection was re-checked: a failure is retried on the next poll
    }),
    times.pollMs,
  );
  const periodic = setInterval(guarded(recheck), times.recheckMs);
  return {
    stop() {
      clearInterval(poll);
      clearInterval(periodic);
    },
  };
}
