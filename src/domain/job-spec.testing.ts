// Test fixtures for job specs: a plain cache entry (`deps`, vendor/, pull-push on success).
import type { CacheFields } from "./job-spec.ts";

/** `cache: {key: deps, paths: [vendor/]}` as written, with GitLab's defaults for the rest. */
export const testCacheFields = (): CacheFields => ({
  key: "deps",
  paths: ["vendor/"],
  untracked: false,
  policy: "pull-push",
  when: "on_success",
  fallbackKeys: [],
});
