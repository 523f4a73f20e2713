// Parses YAML text into a positioned tree as GitLab reads it: YAML 1.1 scalars, aliases, `<<` merges, `!reference`.
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from "yaml";
import type { ConfigError } from "../types.ts";
import { resolveScalar } from "./scalar.ts";
import type { Loc, YMap, YNode, YPair } from "./tree.ts";

/** Expanded nodes (aliases count every time they are used) and nesting allowed in one file. */
const MAX_NODES = 200_000;
const MAX_DEPTH = 100;
const MAX_BYTES = 2 * 1024 * 1024;
const TOO_BIG = "The parsed YAML is too big";
const STANDARD_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
);

export interface LoadResult {
  /** `null` when the text holds no document (empty or only comments). */
  root: YNode | null;
  /** The first document, when the file starts with a `spec:` header document (`spec:inputs`) before its content. */
  header?: YNode;
  errors: ConfigError[];
}

interface Walk {
  lines: LineCounter;
  file: string;
  errors: ConfigError[];
  nodes: number;
  converting: Set<Node>;
  /** Anchors defined so far, in document order (a later definition of a name replaces an earlier one). */
  anchors: Map<string, Node>;
}

/** Parses one file. Never throws: YAML syntax errors and Psych's load errors come back in `errors`. */
export function loadYaml(text: string, file: string): LoadResult {
  if (text.length > MAX_BYTES) return { root: null, errors: [{ message: TOO_BIG, file, line: 1, column: 1 }] };
  const lines = new LineCounter();
  let list: Document.Parsed[];
  try {
    const docs = parseAllDocuments(text, { version: "1.1", schema: "failsafe", uniqueKeys: false, lineCounter: lines });
    list = Array.isArray(docs) ? docs : [];
  } catch (e) {
    // The parser reports malformed input as errors; this only catches what exhausts it (such as the stack).
    return { root: null, errors: [{ message: `${TOO_BIG}: ${(e as Error).message}`, file, line: 1, column: 1 }] };
  }
  const syntax = list
    .flatMap((doc) => doc.errors)
    .map((e): ConfigError => {
      const message = (e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
      return { message, file, line: e.linePos?.[0].line ?? 1, column: e.linePos?.[0].col ?? 1 };
    });
  if (syntax.length > 0) return { root: null, errors: syntax };
  const docsWithContent = list.filter((doc) => doc.contents !== null);
  const first = docsWithContent[0];
  if (!first) return { root: null, errors: [] };
  const walk: Walk = { lines, file, errors: [], nodes: 0, converting: new Set(), anchors: new Map() };
  const second = docsWithContent[1];
  if (!second) {
    const root = convert(walk, first.contents as Node, 0);
    if (walk.nodes > MAX_NODES) return { root: null, errors: [{ message: TOO_BIG, file, line: 1, column: 1 }] };
    return { root, errors: walk.errors };
  }
  // GitLab's header: a first document holding `spec`, then exactly one document of configuration.
  const hasSpec = isMap(first.contents) && first.contents.items.some((p) => isScalar(p.key) && p.key.source === "spec");
  const extra = hasSpec ? docsWithContent[2] : second;
  if (extra) {
    walk.errors.push({ message: "the file holds more than one YAML document", ...locOf(walk, extra.contents as Node) });
    return { root: null, errors: walk.errors };
  }
  const header = convert(walk, first.contents as Node, 0);
  walk.anchors = new Map(); // anchors belong to their document
  const root = convert(walk, second.contents as Node, 0);
  if (walk.nodes > MAX_NODES) return { root: null, errors: [{ message: TOO_BIG, file, line: 1, column: 1 }] };
  return { root, header, errors: walk.errors };
}

function locOf(walk: Walk, node: Node | null | undefined): Loc {
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = walk.lines.linePos(offset);
  return { file: walk.file, line, column: col };
}

function nullAt(loc: Loc): YNode {
  return { kind: "scalar", value: null, text: "", loc };
}

function convert(walk: Walk, node: Node | null, depth: number, at?: Loc): YNode {
  const loc = node ? locOf(walk, node) : (at ?? { file: walk.file, line: 1, column: 1 });
  if (++walk.nodes > MAX_NODES || depth > MAX_DEPTH) {
    walk.nodes = MAX_NODES + 1;
    return nullAt(loc);
  }
  if (node === null) return nullAt(loc);
  if (isAlias(node)) return convertAlias(walk, node, depth, loc);
  if (node.anchor) walk.anchors.set(node.anchor, node);
  if (node.tag && node.tag !== "!reference" && !STANDARD_TAGS.has(node.tag)) {
    walk.errors.push({ message: `unsupported YAML tag ${node.tag}`, ...loc });
    return nullAt(loc);
  }
  if (isScalar(node)) {
    if (node.tag === "!reference") return badReference(walk, String(node.source), loc);
    const resolved = resolveScalar(String(node.source ?? ""), node.type !== "PLAIN", node.tag);
    if ("error" in resolved) walk.errors.push({ message: resolved.error, ...loc });
    return "error" in resolved ? nullAt(loc) : { kind: "scalar", ...resolved, loc };
  }
  if (isSeq(node)) {
    const items = node.items.map((item) => convert(walk, item as Node | null, depth + 1, loc));
    if (node.tag !== "!reference") return { kind: "seq", items, loc };
    const path = items.map((item) => (item.kind === "scalar" && typeof item.value === "string" ? item.value : null));
    return { kind: "reference", path, loc };
  }
  if (isMap(node)) return convertMap(walk, node, depth, loc);
  walk.errors.push({ message: "Invalid configuration format", ...loc });
  return nullAt(loc);
}

function badReference(walk: Walk, source: string, loc: Loc): YNode {
  walk.errors.push({ message: `!reference ${JSON.stringify(source)} is not valid`, ...loc });
  return nullAt(loc);
}

function convertAlias(walk: Walk, node: Node & { source: string }, depth: number, loc: Loc): YNode {
  const target = walk.anchors.get(node.source);
  if (!target || walk.converting.has(target)) {
    const why = target ? "refers to itself" : "referenced an unknown anchor";
    walk.errors.push({ message: `An alias ${why}: ${node.source}`, ...loc });
    return nullAt(loc);
  }
  walk.converting.add(target);
  const value = convert(walk, target, depth + 1, loc);
  walk.converting.delete(target);
  return value;
}

/** A mapping with Psych's merge-key semantics: `<<` merges in place, later keys override earlier ones. */
function convertMap(
  walk: Walk,
  node: Node & { items: { key: unknown; value: unknown }[] },
  depth: number,
  loc: Loc,
): YMap {
  const map: YMap = { kind: "map", pairs: new Map(), loc };
  for (const item of node.items) {
    const keyNode = item.key as Node | null;
    const value = convert(walk, item.value as Node | null, depth + 1, keyNode ? locOf(walk, keyNode) : loc);
    if (isScalar(keyNode) && keyNode.type === "PLAIN" && !keyNode.tag && keyNode.source === "<<") {
      const sources = value.kind === "seq" ? [...value.items].reverse() : [value];
      if (sources.every((s) => s.kind === "map")) {
        const merged = new Map<string, YPair>();
        for (const source of sources as YMap[]) for (const [k, pair] of source.pairs) merged.set(k, pair);
        for (const [k, pair] of merged) map.pairs.set(k, pair);
        continue;
      }
    }
    const key = convert(walk, keyNode, depth + 1, loc);
    if (key.kind !== "scalar") {
      walk.errors.push({ message: "mapping keys must be scalars", ...key.loc });
      continue;
    }
    map.pairs.set(key.text, { key: key.text, keyLoc: key.loc, value });
  }
  return map;
}
