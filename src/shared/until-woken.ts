// Waits for the first of: a wake-up through a subscription, a time limit, or an abort.

/**
 * Subscribes with `subscribe` (which returns its unsubscribe) and resolves at the first wake-up, after `ms`, or when
 * `signal` aborts; the subscription, timer and abort listener are all gone when it resolves.
 */
export function untilWoken(
  subscribe: (wake: () => void) => () => void,
  ms: number,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const unsubscribe = subscribe(done);
    signal.addEventListener("abort", done, { once: true });
  });
}
