// One-shot messages across a redirect ("Pipeline canceled."), kept in a short-lived cookie; never secrets.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

export interface Flash {
  kind: "notice" | "alert";
  message: string;
}

const COOKIE = "_porthole_flash";

export function setFlash(c: Context, kind: Flash["kind"], message: string): void {
  setCookie(c, COOKIE, JSON.stringify({ kind, message: message.slice(0, 500) }), {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    maxAge: 60,
  });
}

/** The pending message, removed as it is read; anything malformed reads as none. */
export function takeFlash(c: Context): Flash | null {
  const raw = getCookie(c, COOKIE);
  if (raw === undefined) return null;
  deleteCookie(c, COOKIE, { path: "/" });
  try {
    const v = JSON.parse(raw) as Partial<Flash>;
    if ((v.kind === "notice" || v.kind === "alert") && typeof v.message === "string")
      return { kind: v.kind, message: v.message };
  } catch {
    // a tampered cookie: show nothing
  }
  return null;
}
