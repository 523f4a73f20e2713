// The YAML document as a tree of plain values that remember where in which file each node was written.

/** A 1-based position in a named file. */
export interface Loc {
  file: string;
  line: number;
  column: number;
}

/** A scalar as GitLab (Ruby's Psych) reads it; `text` is what Ruby's `to_s` makes of it. */
export interface YScalar {
  kind: "scalar";
  value: string | number | boolean | null;
  text: string;
  loc: Loc;
}

export interface YPair {
  key: string;
  keyLoc: Loc;
  value: YNode;
}

/** A mapping; insertion order is the file order (a duplicate key keeps the first place, the last value). */
export interface YMap {
  kind: "map";
  pairs: Map<string, YPair>;
  loc: Loc;
}

export interface YSeq {
  kind: "seq";
  items: YNode[];
  loc: Loc;
}

/** An unresolved `!reference [path...]` tag; `path` holds `null` where an element was not a string. */
export interface YRef {
  kind: "reference";
  path: (string | null)[];
  loc: Loc;
}

export type YNode = YScalar | YMap | YSeq | YRef;

export const isMap = (n: YNode | null | undefined): n is YMap => n?.kind === "map";
export const isSeq = (n: YNode | null | undefined): n is YSeq => n?.kind === "seq";
export const isScalar = (n: YNode | null | undefined): n is YScalar => n?.kind === "scalar";

/** The node under `key`, treating an explicit `null` like an absent key (GitLab's "unspecified"). */
export function get(map: YMap, key: string): YNode | undefined {
  const value = map.pairs.get(key)?.value;
  return isScalar(value) && value.value === null ? undefined : value;
}

export function keyLoc(map: YMap, key: string): Loc {
  return map.pairs.get(key)?.keyLoc ?? map.loc;
}

export function makeMap(loc: Loc, pairs: Iterable<YPair> = []): YMap {
  const map: YMap = { kind: "map", pairs: new Map(), loc };
  for (const pair of pairs) map.pairs.set(pair.key, pair);
  return map;
}

/** Plain JavaScript data for printing the merged configuration. */
export function toPlain(node: YNode): unknown {
  switch (node.kind) {
    case "scalar":
      if (typeof node.value === "number" && !Number.isSafeInteger(node.value) && /^-?\d+$/.test(node.text)) {
        return BigInt(node.text);
      }
      return node.value;
    case "seq":
      return node.items.map(toPlain);
    case "reference":
      return { "!reference": node.path };
    case "map": {
      const out = Object.create(null) as Record<string, unknown>;
      for (const [key, pair] of node.pairs) out[key] = toPlain(pair.value);
      return out;
    }
  }
}
