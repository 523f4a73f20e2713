// `!reference [.job, key, ...]` — replaced by the configuration found at that path (after includes and extends).
import type { Problems } from "../errors.ts";
import type { YMap, YNode, YRef } from "../yaml/tree.ts";

/** How deep references may resolve through other references (GitLab documents 10 levels). */
export const MAX_REFERENCE_NESTING = 10;

/**
 * The configuration with every `!reference` replaced by what its path names, references inside that resolved too.
 * A missing path, a malformed tag or a cycle is reported (GitLab's wording) and the tag becomes `null`.
 */
export function resolveReferences(root: YMap, problems: Problems): YMap {
  const done = new Map<string, YNode>();
  const resolving = new Set<string>();

  const resolveRef = (ref: YRef): YNode => {
    const nothing: YNode = { kind: "scalar", value: null, text: "", loc: ref.loc };
    const shown = `!reference [${ref.path.map((p) => (p === null ? "nil" : JSON.stringify(p))).join(", ")}]`;
    if (ref.path.length === 0 || ref.path.includes(null)) {
      problems.add(ref.loc, `${shown} is not valid`);
      return nothing;
    }
    const id = JSON.stringify(ref.path);
    const known = done.get(id);
    if (known) return known;
    if (resolving.has(id)) {
      problems.add(ref.loc, `${shown} is part of a circular chain`);
      return nothing;
    }
    if (resolving.size >= MAX_REFERENCE_NESTING) {
      problems.add(ref.loc, `${shown} is nested more than ${MAX_REFERENCE_NESTING} levels deep`);
      return nothing;
    }
    const target = lookup(root, ref.path as string[]);
    if (!target || (target.kind === "scalar" && (target.value === null || target.value === false))) {
      problems.add(ref.loc, `${shown} could not be found`);
      return nothing;
    }
    resolving.add(id);
    const value = walk(target);
    resolving.delete(id);
    done.set(id, value);
    return value;
  };

  const walk = (node: YNode): YNode => {
    switch (node.kind) {
      case "reference":
        return resolveRef(node);
      case "seq":
        return node.items.some(hasReference) ? { ...node, items: node.items.map(walk) } : node;
      case "map": {
        if (![...node.pairs.values()].some((pair) => hasReference(pair.value))) return node;
        const pairs = new Map([...node.pairs].map(([key, pair]) => [key, { ...pair, value: walk(pair.value) }]));
        return { ...node, pairs };
      }
      case "scalar":
        return node;
    }
  };

  return walk(root) as YMap;
}

function lookup(root: YMap, path: readonly string[]): YNode | undefined {
  let node: YNode | undefined = root;
  for (const key of path) node = node?.kind === "map" ? node.pairs.get(key)?.value : undefined;
  return node;
}

const hasRefCache = new WeakMap<YNode, boolean>();

function hasReference(node: YNode): boolean {
  if (node.kind === "reference") return true;
  if (node.kind === "scalar") return false;
  const cached = hasRefCache.get(node);
  if (cached !== undefined) return cached;
  const found =
    node.kind === "seq" ? node.items.some(hasReference) : [...node.pairs.values()].some((p) => hasReference(p.value));
  hasRefCache.set(node, found);
  return found;
}
