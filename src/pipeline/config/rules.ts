// `rules:` and `workflow:rules:` — each rule's clauses (if, changes, exists) and results (when, variables …).
import { isMap, isSeq, type YNode } from "../yaml/tree.ts";
import { readAutoCancel } from "./auto-cancel.ts";
import { type At, boolOf, checkKeys, fail, stringOf, stringsOf, under } from "./check.ts";
import { readExpression } from "./expression.ts";
import type { ChangesDef, ExistsDef, RuleDef } from "./model.ts";
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
/** `include:rules`: whether an include entry is read at all. */
export const INCLUDE_RULES = {
  keys: new Set(["if", "changes", "exists", "when"]),
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
  if (get("changes")) rule.changes = readChanges(under(a, "changes"), get("changes")!);
  if (get("exists")) rule.exists = readExists(under(a, "exists"), get("exists")!);
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

/** `changes`: a list of globs, or `{paths, compare_to}`. */
function readChanges(a: At, node: YNode): ChangesDef | undefined {
  if (isSeq(node)) return mapPaths(a, node, (paths) => ({ paths }));
  if (!isMap(node)) return fail(a, node, "should be an array or a hash");
  if (!checkKeys(a, node, new Set(["paths", "compare_to"]))) return undefined;
  const paths = node.pairs.get("paths")?.value;
  if (!paths) return fail(a, node, "config missing required keys: paths");
  const compareTo = node.pairs.get("compare_to")?.value;
  if (compareTo && stringOf(compareTo) === undefined) return fail(a, compareTo, "compare to should be a string");
  return mapPaths(a, paths, (list) => ({ paths: list, ...(compareTo ? { compareTo: stringOf(compareTo)! } : {}) }));
}

/** `exists`: a glob, a list of globs, or `{paths, project, ref}` (`ref` only with `project`). */
function readExists(a: At, node: YNode): ExistsDef | undefined {
  if (stringOf(node) !== undefined) return { paths: [stringOf(node)!] };
  if (isSeq(node)) return mapPaths(a, node, (paths) => ({ paths }));
  if (!isMap(node)) return fail(a, node, "should be a string, an array of strings, or a hash");
  if (!checkKeys(a, node, new Set(["paths", "project", "ref"]))) return undefined;
  const get = (key: string) => node.pairs.get(key)?.value;
  const paths = get("paths");
  if (!paths) return fail(a, node, "config missing required keys: paths");
  if (get("ref") && !get("project")) return fail(a, node, "config missing required keys: project");
  const exists: Omit<ExistsDef, "paths"> = {};
  for (const key of ["project", "ref"] as const) {
    const value = get(key);
    if (!value) continue;
    if (stringOf(value) === undefined) return fail(a, value, `${key} should be a string`);
    exists[key] = stringOf(value)!;
  }
  return mapPaths(a, paths, (list) => ({ paths: list, ...exists }));
}

function mapPaths<T>(a: At, node: YNode, make: (paths: string[]) => T): T | undefined {
  const list = stringsOf(node);
  if (!list) return fail(a, node, "config should be an array of strings");
  if (list.length > MAX_PATHS) return fail(a, node, `config has too many entries (maximum ${MAX_PATHS})`);
  return make(list);
}
