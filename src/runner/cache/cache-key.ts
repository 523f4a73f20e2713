// A cache's key as the runner uses it: variables expanded, `key:files` hashed, the server's suffix appended.
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import type { PayloadCache } from "../../domain/coordinator.ts";
import { expandValue } from "../../domain/variables.ts";
import { insideProject } from "./cache-paths.ts";

export type Lookup = (name: string) => string | undefined;

/**
 * `key:files` keys by the files' contents at the checked-out commit (GitLab keys by the SHA of the last commit
 * that changed them: the same files give the same key either way, and a change to a file gives a new one).
 * `<prefix>-<hash>`, or `<prefix>-default` when none of the files exists; the prefix alone is optional.
 */
async function filesKey(cache: PayloadCache, projectDir: string, lookup: Lookup): Promise<string> {
  const hasher = new Bun.CryptoHasher("sha256");
  let found = 0;
  for (const path of cache.keyFiles ?? []) {
    const name = expandValue(path, lookup).replace(/^\.?\//, "");
    const full = join(projectDir, name);
    // Only a regular file reached without links: a key never hashes what a committed link points at.
    const stat = (await insideProject(projectDir, name)) ? await lstat(full).catch(() => null) : null;
    if (!stat?.isFile()) continue;
    const bytes = await Bun.file(full)
      .bytes()
      .catch(() => null);
    if (!bytes) continue;
    found++;
    hasher.update(`${name}\0`);
    hasher.update(bytes);
    hasher.update("\0");
  }
  const prefix = cache.keyPrefix ? `${expandValue(cache.keyPrefix, lookup)}-` : "";
  return `${prefix}${found > 0 ? hasher.digest("hex").slice(0, 40) : "default"}`;
}

/** Why `key` cannot name a cache folder, or null: GitLab's rules (no `/`, not `.` or `..`) and not empty. */
export function badKey(key: string): string | null {
  if (key === "") return "the cache key is empty";
  if (key.includes("/") || key.includes("\\") || key.includes("\0")) return `cache key ${key}: contains a "/"`;
  if (key === "." || key === "..") return `cache key ${key}: cannot be "." or ".."`;
  return null;
}

/** The job's own key for `cache`. */
export async function cacheKey(cache: PayloadCache, projectDir: string, lookup: Lookup): Promise<string> {
  const base = cache.keyFiles ? await filesKey(cache, projectDir, lookup) : expandValue(cache.key, lookup);
  return `${base}${cache.keySuffix}`;
}

/**
 * The keys to try after the job's own, in order: `fallback_keys` (with the server's suffix, as GitLab adds it),
 * then `CACHE_FALLBACK_KEY` as written, which on an unprotected ref may not name a protected cache.
 */
export function fallbackKeys(cache: PayloadCache, lookup: Lookup): string[] {
  const keys = cache.fallbackKeys.map((k) => `${expandValue(k, lookup)}${cache.keySuffix}`);
  const global = lookup("CACHE_FALLBACK_KEY");
  const unprotected = !cache.keySuffix.endsWith("-protected");
  if (global && !(unprotected && global.endsWith("-protected"))) keys.push(global);
  return keys;
}
