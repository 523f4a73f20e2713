// Expected statuses per actor, from the rule a route follows: a least project role, signed-in, admin-only, anyone.
import { ACTORS, LEVELS, type Who } from "./world.ts";

export type Expected = Record<Who, number>;
type Role = keyof typeof LEVELS;

const each = (status: (who: Who) => number): Expected =>
  Object.fromEntries(ACTORS.map((who) => [who, status(who)])) as Expected;

/** Members from `least` up (and admins) get `ok`; lower members 403; non-members 404; anonymous `anon`. */
function projectRule(least: Role, ok: number, anon: number): Expected {
  return each((who) => {
    if (who === "anonymous") return anon;
    if (who === "nonmember") return 404;
    if (who === "admin") return ok;
    return LEVELS[who] >= LEVELS[least] ? ok : 403;
  });
}

/** An API route on a private project needing role `least`. */
export const api = (least: Role, ok = 200) => projectRule(least, ok, 401);
/** A page on a private project needing role `least`; anonymous visitors are sent to sign in (302). */
export const page = (least: Role, ok = 200) => projectRule(least, ok, 302);
/** Any signed-in user gets `ok`; anonymous gets `anon` (401 for the API, 302 for pages). */
export const signedIn = (ok: number, anon = 401) => each((who) => (who === "anonymous" ? anon : ok));
/** Only admins get `ok`; other users 403; anonymous `anon`. */
export const adminOnly = (ok: number, anon = 401) =>
  each((who) => (who === "admin" ? ok : who === "anonymous" ? anon : 403));
/** Everyone gets `status`. */
export const anyone = (status: number) => each(() => status);
/** `base` with some actors' answers replaced. */
export const except = (base: Expected, changes: Partial<Expected>): Expected => ({ ...base, ...changes });
