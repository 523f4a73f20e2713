// Ruby's Hash#deep_merge on positioned maps: nested maps merge, anything else is replaced by the later value.
import type { YMap, YPair } from "../yaml/tree.ts";

/**
 * A new map with `base`'s keys first, then `over`'s new keys; where both hold maps they merge recursively,
 * otherwise `over` wins (an explicit `null` included). Neither input is changed.
 */
export function deepMerge(base: YMap, over: YMap): YMap {
  const pairs = new Map<string, YPair>(base.pairs);
  for (const [key, pair] of over.pairs) {
    const mine = pairs.get(key)?.value;
    if (mine?.kind === "map" && pair.value.kind === "map") {
      pairs.set(key, { ...pair, value: deepMerge(mine, pair.value) });
    } else {
      pairs.set(key, pair);
    }
  }
  return { kind: "map", pairs, loc: over.loc };
}
