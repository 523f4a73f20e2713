// `only:` / `except:` — refs (names, `/regex/`, keywords like `branches`), or `{refs, variables, changes}`.

import type { Expr } from "../expression/parser.ts";
import { compileRegex, looksLikeRegex } from "../expression/regex.ts";
import { isMap, isSeq, type YNode } from "../yaml/tree.ts";
import { type At, checkKeys, fail, stringsOf } from "./check.ts";
import { readExpression } from "./expression.ts";
import type { PolicyDef } from "./model.ts";

export const POLICY_KEYS: ReadonlySet<string> = new Set(["refs", "variables", "changes"]);
const REFUSED = new Set(["kubernetes"]);
const REFS_MESSAGE = "should be an array of strings or regular expressions using re2 syntax";

export function readPolicy(a: At, node: YNode): PolicyDef | undefined {
  if (isSeq(node)) {
    const refs = readRefs(a, node);
    return refs && { refs };
  }
  if (!isMap(node)) return fail(a, node, "has to be either an array of conditions or a hash");
  if (node.pairs.size === 0) return fail(a, node, "config can't be blank");
  if (!checkKeys(a, node, POLICY_KEYS, REFUSED)) return undefined;
  const policy: PolicyDef = {};
  const refs = node.pairs.get("refs")?.value;
  if (refs) policy.refs = readRefs(a, refs, "refs ");
  const variables = node.pairs.get("variables")?.value;
  if (variables) {
    const texts = stringsOf(variables);
    if (!texts || !isSeq(variables)) return fail(a, variables, "variables should be an array of strings");
    const parsed = variables.items.map((item) => readExpression(a, item, "variables"));
    if (parsed.every((e): e is Expr => e !== undefined)) policy.variables = parsed;
  }
  const changes = node.pairs.get("changes")?.value;
  if (changes) policy.changes = stringsOf(changes) ?? fail(a, changes, "changes should be an array of strings");
  return policy;
}

function readRefs(a: At, node: YNode, prefix = "config "): string[] | undefined {
  const refs = stringsOf(node);
  const valid = refs?.every((ref) => !looksLikeRegex(ref) || compileRegex(ref) !== null);
  return valid ? refs : fail(a, node, `${prefix}${REFS_MESSAGE}`);
}
