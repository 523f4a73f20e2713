// GitLab's protected branch patterns: which refs count as protected (and so see protected variables).

/**
 * Whether `branch` matches `pattern`: exact, or with each `*` standing for any run of characters, `/` included
 * (GitLab's wildcard rule: `release/*` matches `release/1.0` and `release/1.0/hotfix`).
 */
export function branchMatches(pattern: string, branch: string): boolean {
  if (!pattern.includes("*")) return pattern === branch;
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`, "s").test(branch);
}

/** Whether `ref` is a protected branch under `patterns`. Tags are never protected (porthole has no protected tags). */
export function isProtectedRef(patterns: readonly string[], ref: { name: string; tag: boolean }): boolean {
  return !ref.tag && patterns.some((pattern) => branchMatches(pattern, ref.name));
}
