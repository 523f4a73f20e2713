// The caches a job's payload carries: its `cache:` entries with the server's part of each key.
import type { PayloadCache } from "../domain/coordinator.ts";
import type { CacheSpec } from "../pipeline/types.ts";

/**
 * GitLab's suffixes: `-<index>` once "Clear runner caches" was used, then `-protected` on a protected ref or
 * `-non_protected`. `unprotect: true` makes a protected ref use the `-non_protected` cache too; nothing ever lets an
 * unprotected ref write a `-protected` key, whatever its key says.
 */
export function payloadCaches(specs: readonly CacheSpec[], cacheIndex: number, protectedRef: boolean): PayloadCache[] {
  return specs.map(({ unprotect, ...spec }) => {
    const index = cacheIndex > 0 ? `-${cacheIndex}` : "";
    const protection = protectedRef && !unprotect ? "-protected" : "-non_protected";
    return { ...spec, keySuffix: `${index}${protection}` };
  });
}
