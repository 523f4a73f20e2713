// Slows password guessing by refusal: too many failed sign-ins lock that login, or that client address, for a while.

/** Failed sign-ins are counted over this window. */
const WINDOW_MS = 10 * 60 * 1000;
/** One login: 5 failures lock it for a minute (guessing one user's password), whatever address they come from. */
const PER_LOGIN = { maxFailures: 5, lockMs: 60 * 1000 };
/**
 * One address: 30 failures lock it for 5 minutes (spraying passwords across many usernames). Higher than the
 * per-login limit, so one user's typos never lock out colleagues behind the same address.
 */
const PER_ADDRESS = { maxFailures: 30, lockMs: 5 * 60 * 1000 };
/** Bounded memory: the least recently failed keys are dropped past this many. */
const MAX_TRACKED = 10_000;

interface Entry {
  failures: number[];
  lockedUntil: number;
}

/** Counts failures per key and locks a key that reaches `maxFailures` within the window. */
function failureCounter(limits: { maxFailures: number; lockMs: number }) {
  const entries = new Map<string, Entry>();
  return {
    waitMs(key: string, now: number): number {
      const e = entries.get(key);
      return e && e.lockedUntil > now ? e.lockedUntil - now : 0;
    },
    failed(key: string, now: number): void {
      const e = entries.get(key) ?? { failures: [], lockedUntil: 0 };
      e.failures = [...e.failures.filter((t) => now - t < WINDOW_MS), now];
      if (e.failures.length >= limits.maxFailures) {
        e.lockedUntil = now + limits.lockMs;
        e.failures = [];
      }
      entries.delete(key);
      entries.set(key, e);
      if (entries.size > MAX_TRACKED) entries.delete(entries.keys().next().value!);
    },
    forget(key: string): void {
      entries.delete(key);
    },
  };
}

/**
 * Call `waitSeconds` before checking a password: when it is above 0, refuse (429) without checking, so a
 * locked login or address costs no argon2 work and a right password does not get through either. Then report
 * the outcome with `failed` or `succeeded`. `address` is the client IP, or null when unknown (not counted).
 */
export interface SignInThrottle {
  /** Seconds until this login from this address may try again, or 0. */
  waitSeconds(login: string, address: string | null, now?: number): number;
  failed(login: string, address: string | null, now?: number): void;
  /** Clears the login's failures (not the address's: one good password must not reset a spraying count). */
  succeeded(login: string): void;
}

export function createSignInThrottle(): SignInThrottle {
  const logins = failureCounter(PER_LOGIN);
  const addresses = failureCounter(PER_ADDRESS);
  const key = (login: string) => login.trim().toLowerCase();
  return {
    waitSeconds(login, address, now = Date.now()) {
      const wait = Math.max(logins.waitMs(key(login), now), address ? addresses.waitMs(address, now) : 0);
      return Math.ceil(wait / 1000);
    },
    failed(login, address, now = Date.now()) {
      logins.failed(key(login), now);
      if (address) addresses.failed(address, now);
    },
    succeeded(login) {
      logins.forget(key(login));
    },
  };
}
