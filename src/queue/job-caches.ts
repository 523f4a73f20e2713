// The caches a job's payload carries: its `cache:` entries with the server's part of each key.
import type { PayloadCache } from "../domain/coordinator.ts";
import type { CacheSpec } from "../pipeline/types.ts";

/**
 * GitLab's suffixes: `-<index>` once "Clear runner caches" was used, then `-protected` or `-non_protected`, so that
 * an unprotected branch can never write a cache a protected one reads (unless the cache says `unprotect: true`).
 */
export function payloadCaches(specs: readonly CacheSpec[], cacheIndex: number, protectedRef: boolean): PayloadCache[] {
  return specs.map(({ unprotect, ...spec }) => {
    const index = cacheIndex > 0 ? `-${cacheIndex}` : "";
    const protection = unprotect ? "" : protectedRef ? "-protected" : "-non_protected";
    return { ...spec, keySuffix: `${index}${protection}` };
  });
}
