// `variables:` (global, job, service, rules): scalar values or `{value, description, expand, options}`.
import type { YamlVariable } from "../types.ts";
import { isMap, isScalar, type YNode } from "../yaml/tree.ts";
import { type At, boolOf, fail, mapOf, stringsOf, under } from "./check.ts";
import { notActedOn } from "./not-acted-on.ts";

const NAME = /^[A-Za-z0-9_]+$/;

/**
 * The variables in `node`. `dataKeys` lists the keys a hash value may use (`value`, `expand` … as GitLab allows
 * at that place); `null` means only plain values are allowed there.
 */
export function readVariables(a: At, node: YNode, dataKeys: readonly string[] | null): YamlVariable[] {
  const map = mapOf(a, node);
  if (!map) return [];
  const out: YamlVariable[] = [];
  for (const [key, pair] of map.pairs) {
    const v = under(a, key);
    if (!NAME.test(key)) {
      fail(v, { loc: pair.keyLoc }, "key can contain only letters, digits and '_'");
      continue;
    }
    const variable = readVariable(v, key, pair.value, dataKeys);
    if (variable) out.push(variable);
  }
  return out;
}

function readVariable(a: At, key: string, node: YNode, dataKeys: readonly string[] | null): YamlVariable | undefined {
  if (isScalar(node) && node.value !== null) return { key, value: node.text, raw: false };
  if (!isMap(node) && !isScalar(node)) return fail(a, node, "variable definition must be either a string or a hash");
  if (dataKeys === null) return fail(a, node, "config must be a string");
  if (!isMap(node)) return { key, value: "", raw: false };
  const extra = [...node.pairs.keys()].filter((k) => !dataKeys.includes(k));
  if (extra.length > 0) return fail(a, node, `config uses invalid data keys: ${extra.join(", ")}`);
  const value = node.pairs.get("value")?.value;
  if (value && !isScalar(value)) return fail(a, value, "config value must be a scalar");
  const description = node.pairs.get("description")?.value;
  if (description && !(isScalar(description) && ["string", "number"].includes(typeof description.value))) {
    return fail(a, description, "config description must be an alphanumeric string");
  }
  if (description) notActedOn(a, "description", "the Run pipeline form does not prefill variables");
  const expand = node.pairs.get("expand")?.value;
  if (expand && boolOf(expand) === undefined) return fail(a, expand, "config expand should be a boolean value");
  const text = isScalar(value) ? value.text : "";
  const optionsNode = node.pairs.get("options")?.value;
  if (optionsNode) {
    const options = stringsOf(optionsNode);
    if (!options) return fail(a, optionsNode, "config options should be an array of strings");
    if (options.length > 0 && !options.includes(text)) return fail(a, node, "config value must be present in options");
    notActedOn(a, "options", "the Run pipeline form does not offer them");
  }
  return { key, value: text, raw: boolOf(expand) === false };
}

/** Later variables replace earlier ones of the same name (keeping the first one's place). */
export function mergeVariables(...lists: (readonly YamlVariable[] | undefined)[]): YamlVariable[] {
  const byKey = new Map<string, YamlVariable>();
  for (const list of lists) for (const v of list ?? []) byKey.set(v.key, v);
  return [...byKey.values()];
}
