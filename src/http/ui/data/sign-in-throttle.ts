// Slows password guessing: after 5 failed sign-ins for one login within 10 minutes, that login waits a minute.

const WINDOW_MS = 10 * 60 * 1000;
const MAX_FAILURES = 5;
const LOCK_MS = 60 * 1000;
/** Bounded memory: the oldest entries are dropped past this many logins. */
const MAX_TRACKED = 10_000;

interface Entry {
  failures: number[];
  lockedUntil: number;
}

export interface SignInThrottle {
  /** Seconds the login must still wait, or 0. */
  waitSeconds(login: string, now?: number): number;
  failed(login: string, now?: number): void;
  succeeded(login: string): void;
}

export function createSignInThrottle(): SignInThrottle {
  const entries = new Map<string, Entry>();
  const key = (login: string) => login.trim().toLowerCase();
  return {
    waitSeconds(login, now = Date.now()) {
      const e = entries.get(key(login));
      return e && e.lockedUntil > now ? Math.ceil((e.lockedUntil - now) / 1000) : 0;
    },
    failed(login, now = Date.now()) {
      const k = key(login);
      const e = entries.get(k) ?? { failures: [], lockedUntil: 0 };
      e.failures = [...e.failures.filter((t) => now - t < WINDOW_MS), now];
      if (e.failures.length >= MAX_FAILURES) {
        e.lockedUntil = now + LOCK_MS;
        e.failures = [];
      }
      entries.delete(k);
      entries.set(k, e);
      if (entries.size > MAX_TRACKED) entries.delete(entries.keys().next().value!);
    },
    succeeded(login) {
      entries.delete(key(login));
    },
  };
}
