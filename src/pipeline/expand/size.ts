// Guards against configurations that expand to far more than was written (aliases and `!reference` share nodes).
import type { YNode } from "../yaml/tree.ts";

/** Nodes the fully expanded configuration may hold: beyond this, printing or flattening it would exhaust memory. */
export const MAX_EXPANDED_NODES = 1_000_000;

/**
 * Whether `root`, with every shared node counted each time it is used, stays within `limit` nodes.
 * Linear in the distinct nodes: sizes of shared nodes are computed once.
 */
export function withinExpandedSize(root: YNode, limit = MAX_EXPANDED_NODES): boolean {
  const sizes = new Map<YNode, number>();
  const size = (node: YNode): number => {
    if (node.kind === "scalar" || node.kind === "reference") return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let total = 1;
    const children = node.kind === "seq" ? node.items : [...node.pairs.values()].map((pair) => pair.value);
    for (const child of children) {
      total += size(child);
      if (total > limit) break;
    }
    sizes.set(node, total);
    return total;
  };
  return size(root) <= limit;
}
