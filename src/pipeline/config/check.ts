// Small typed readers for configuration nodes; each reports GitLab's message at the node when the type is wrong.
import type { Problems } from "../errors.ts";
import { isMap, isScalar, isSeq, type YMap, type YNode } from "../yaml/tree.ts";

/** Where errors are reported, and under which GitLab location (`jobs:rspec:image`). */
export interface At {
  p: Problems;
  where: string;
}

export const at = (p: Problems, where: string): At => ({ p, where });
export const under = (a: At, key: string): At => ({ p: a.p, where: `${a.where}:${key}` });

/** Reports `<where> <text>` at `node`. Always returns undefined, for `return fail(...)`. */
export function fail(a: At, node: YNode | { loc: YNode["loc"] }, text: string): undefined {
  a.p.add(node.loc, `${a.where} ${text}`);
  return undefined;
}

export const stringOf = (node: YNode | undefined): string | undefined =>
  isScalar(node) && typeof node.value === "string" ? node.value : undefined;

export const boolOf = (node: YNode | undefined): boolean | undefined =>
  isScalar(node) && typeof node.value === "boolean" ? node.value : undefined;

export const intOf = (node: YNode | undefined): number | undefined =>
  isScalar(node) && typeof node.value === "number" && Number.isInteger(node.value) ? node.value : undefined;

/** A list of strings, or undefined. */
export function stringsOf(node: YNode | undefined): string[] | undefined {
  if (!isSeq(node)) return undefined;
  const out = node.items.map(stringOf);
  return out.every((s) => s !== undefined) ? (out as string[]) : undefined;
}

/** A string or lists of strings nested up to `maxLevel` deep, flattened; undefined otherwise. */
export function nestedStringsOf(node: YNode | undefined, maxLevel: number): string[] | undefined {
  const single = stringOf(node);
  if (single !== undefined) return [single];
  if (!isSeq(node) || maxLevel < 1) return undefined;
  const out: string[] = [];
  for (const item of node.items) {
    const inner = nestedStringsOf(item, maxLevel - 1);
    if (!inner) return undefined;
    out.push(...inner);
  }
  return out;
}

/** `config should be a hash`, or the map. */
export function mapOf(a: At, node: YNode, text = "config should be a hash"): YMap | undefined {
  return isMap(node) ? node : fail(a, node, text);
}

/**
 * Reports refused keywords (`config uses unsupported keyword: release`) and unknown keys
 * (`config contains unknown keys: a, b`). Returns whether the map had neither.
 */
export function checkKeys(
  a: At,
  map: YMap,
  allowed: ReadonlySet<string>,
  refused: ReadonlySet<string> = new Set(),
): boolean {
  let ok = true;
  const unknown: string[] = [];
  for (const [key, pair] of map.pairs) {
    if (refused.has(key)) {
      fail(a, { loc: pair.keyLoc }, `config uses unsupported keyword: ${key}`);
      ok = false;
    } else if (!allowed.has(key)) {
      unknown.push(key);
    }
  }
  if (unknown.length > 0) {
    fail(a, { loc: map.pairs.get(unknown[0]!)!.keyLoc }, `config contains unknown keys: ${unknown.join(", ")}`);
    ok = false;
  }
  return ok;
}
