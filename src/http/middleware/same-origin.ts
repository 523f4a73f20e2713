// The Origin rule for cookie-authenticated requests: a browser's state-changing request must come from porthole itself.

/**
 * Whether a request's `Origin` header allows a cookie-authenticated state change: absent (non-browser clients and
 * same-origin navigations in old browsers send none; the CSRF token still has to match), or exactly the origin of
 * `externalUrl`. `Origin: null` (sandboxed frames, some redirects) is refused.
 */
export function originAllowed(origin: string | null | undefined, externalUrl: string): boolean {
  if (origin === null || origin === undefined || origin === "") return true;
  return origin === new URL(externalUrl).origin;
}

export const CROSS_ORIGIN_MESSAGE = "403 Forbidden - cross-origin request";
