// Token generation and hashing: random tokens with GitLab's prefixes, stored as SHA-256, compared in constant time.
import { timingSafeEqual } from "node:crypto";

export type TokenKind = "glpat" | "glrt" | "glptt" | "glcbt";

/** A new random token, e.g. `glpat-` + 20 url-safe characters. */
export function newToken(kind: TokenKind): string {
  const bytes = crypto.getRandomValues(new Uint8Array(15));
  return `${kind}-${Buffer.from(bytes).toString("base64url")}`;
}

/** SHA-256 (hex) of a token: what the database keeps. */
export function hashToken(token: string): string {
  return new Bun.CryptoHasher("sha256").update(token).digest("hex");
}

export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
