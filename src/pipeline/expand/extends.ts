// `extends:` — each entry is deep-merged over the entries it names (recursively, up to GitLab's 10 levels).
import type { Problems } from "../errors.ts";
import { isMap, isScalar, type YMap, type YNode } from "../yaml/tree.ts";
import { deepMerge } from "./deep-merge.ts";

/** GitLab's limit on the length of an `extends` chain. */
export const MAX_EXTENDS_NESTING = 10;

/**
 * The configuration with every top-level entry that has `extends` merged over its bases: bases in the order listed,
 * the entry itself last (hashes merge, everything else is replaced). Errors use GitLab's wording; an entry whose
 * chain is broken is left as written.
 */
export function expandExtends(root: YMap, problems: Problems): YMap {
  const resolved = new Map<string, YMap>();

  const extend = (key: string, ancestors: string[]): YMap | null => {
    const value = root.pairs.get(key)?.value;
    if (!isMap(value) || !value.pairs.has("extends")) return isMap(value) ? value : null;
    const done = resolved.get(key);
    if (done) return done;
    const names = extendsNames(value.pairs.get("extends")!.value);
    if (names === null) return value;
    const at = value.pairs.get("extends")!.value.loc;
    const fail = (reason: string): null => {
      problems.add(at, `${key}: ${reason}`);
      return null;
    };
    const unknown = names.filter((name) => !root.pairs.has(name));
    if (unknown.length > 0) return fail(`unknown keys in \`extends\` (${unknown.join(", ")})`);
    const invalid = names.filter((name) => !isMap(root.pairs.get(name)!.value));
    if (invalid.length > 0) return fail(`invalid base hashes in \`extends\` (${invalid.join(", ")})`);
    if (ancestors.length > MAX_EXTENDS_NESTING) return fail("nesting too deep in `extends`");
    if (ancestors.includes(key)) return fail("circular dependency detected in `extends`");
    let merged: YMap | null = null;
    for (const name of names) {
      const base = extend(name, [...ancestors, key]);
      if (!base) return null;
      merged = merged ? deepMerge(merged, base) : base;
    }
    const result = merged ? deepMerge(merged, value) : value;
    resolved.set(key, result);
    return result;
  };

  const pairs = new Map(root.pairs);
  for (const [key, pair] of root.pairs) {
    const extended = extend(key, []);
    if (extended && extended !== pair.value) pairs.set(key, { ...pair, value: extended });
  }
  return { kind: "map", pairs, loc: root.loc };
}

/** The names in `extends` (a string or a list of strings); `null` when malformed (the job check reports it). */
function extendsNames(node: YNode): string[] | null {
  const items = node.kind === "seq" ? node.items : [node];
  if (!items.every((item) => isScalar(item) && item.value !== null && typeof item.value !== "boolean")) return null;
  return items.map((item) => (item as { text: string }).text);
}
