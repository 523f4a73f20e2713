// `rules:` and `workflow:rules:` — each rule's clauses (if, changes, exists) and results (when, variables …).
import { isMap, isSeq, type YMap, type YNode } from "../yaml/tree.ts";
import { readAutoCancel } from "./auto-cancel.ts";
import { type At, boolOf, checkKeys, fail, stringOf, stringsOf, under } from "./check.ts";
import { readExpression } from "./expression.ts";
import type { RuleDef } from "./model.ts";
import { readNeeds } from "./needs.ts";
import { notActedOn } from "./not-acted-on.ts";
import { MAX_NESTING, readDuration } from "./simple.ts";
import { readVariables } from "./variables.ts";

const ONE_WEEK = 7 * 24 * 3600;
const MAX_PATHS = 50;

/** What a rule may say where it is used. */
export const JOB_RULES = {
  keys: new Set([
    "if",
    "changes",
    "exists",
    "when",
    "start_in",
    "allow_failure",
    "variables",
    "needs",
    "interruptible",
  ]),
  refused: new Set<string>(),
  when: ["on_success", "on_failure", "always", "never", "manual", "delayed"],
};
export const WORKFLOW_RULES = {
  keys: new Set(["if", "changes", "exists", "when", "start_in", "allow_failure", "variables", "needs", "auto_cancel"]),
  refused: new Set<string>(),
  when: ["always", "never"],
};
/** Keys GitLab accepts in a `workflow:rules` rule but that mean nothing for a whole pipeline. */
const NO_EFFECT_IN_WORKFLOW = ["start_in", "allow_failure", "needs"];

export function readRules(a: At, node: YNode, kind: typeof JOB_RULES): RuleDef[] | undefined {
  if (!isSeq(node)) return fail(a, node, "config should be an array");
  const items = flatten(node, MAX_NESTING);
  if (items.length === 0) return fail(a, node, "config can't be blank");
  return items.map((item) => readRule(under(a, "rule"), item, kind));
}

function flatten(node: YNode, levels: number): YNode[] {
  return isSeq(node) && levels >= 0 ? node.items.flatMap((item) => flatten(item, levels - 1)) : [node];
}

function readRule(a: At, node: YNode, kind: typeof JOB_RULES): RuleDef {
  const rule: RuleDef = { loc: node.loc };
  if (!isMap(node)) return fail(a, node, "config should be a hash") ?? rule;
  if (node.pairs.size === 0) return fail(a, node, "config can't be blank") ?? rule;
  checkKeys(a, node, kind.keys, kind.refused);
  const get = (key: string) => node.pairs.get(key)?.value;
  const ifNode = get("if");
  if (node.pairs.has("if")) rule.if = readExpression(a, ifNode!, "if");
  if (get("changes")) rule.changes = readPaths(under(a, "changes"), get("changes")!, false);
  if (get("exists")) rule.exists = readPaths(under(a, "exists"), get("exists")!, true);
  const when = get("when");
  if (when) {
    const value = stringOf(when);
    if (value !== undefined && kind.when.includes(value)) rule.when = value;
    else fail(a, when, `when unknown value: ${value ?? (when.kind === "scalar" ? when.text : "")}`);
  }
  const startIn = get("start_in");
  if (rule.when === "delayed") {
    if (!startIn) fail(a, node, "start in can't be blank");
    else rule.startIn = readDuration(a, startIn, "start in", ONE_WEEK);
  } else if (startIn) {
    fail(a, { loc: node.pairs.get("start_in")!.keyLoc }, "config contains disallowed keys: start_in");
  }
  for (const flag of ["allow_failure", "interruptible"] as const) {
    const flagNode = get(flag);
    if (!flagNode) continue;
    const value = boolOf(flagNode);
    if (value === undefined) fail(a, flagNode, `${flag.replace("_", " ")} should be a boolean value`);
    else if (flag === "allow_failure") rule.allowFailure = value;
    else rule.interruptible = value;
  }
  if (get("variables")) rule.variables = readVariables(under(a, "variables"), get("variables")!, null);
  if (get("needs")) rule.needs = readNeeds(under(a, "needs"), get("needs")!);
  if (kind === WORKFLOW_RULES) {
    for (const key of NO_EFFECT_IN_WORKFLOW.filter((k) => node.pairs.has(k)))
      notActedOn(a, key, "it has no effect in workflow:rules, as in GitLab");
    const autoCancel = get("auto_cancel");
    if (autoCancel) rule.autoCancel = readAutoCancel(under(a, "auto_cancel"), autoCancel);
  }
  return rule;
}

/** `changes` / `exists` paths: a list (or for `exists` a string), or `{paths}`; other keys are refused. */
function readPaths(a: At, node: YNode, exists: boolean): string[] | undefined {
  let paths: YNode = node;
  if (isMap(node)) {
    const refused = new Set(exists ? ["project", "ref"] : ["compare_to"]);
    if (!checkKeys(a, node, new Set(["paths"]), refused)) return undefined;
    const inner = (node as YMap).pairs.get("paths")?.value;
    if (!inner) return fail(a, node, "config missing required keys: paths");
    paths = inner;
  } else if (!isSeq(node) && !(exists && stringOf(node) !== undefined)) {
    return fail(
      a,
      node,
      exists ? "should be a string, an array of strings, or a hash" : "should be an array or a hash",
    );
  }
  const list = stringOf(paths) !== undefined && exists ? [stringOf(paths)!] : stringsOf(paths);
  if (!list) return fail(a, paths, "config should be an array of strings");
  if (list.length > MAX_PATHS) return fail(a, paths, `config has too many entries (maximum ${MAX_PATHS})`);
  return list;
}
