// The whole configuration: top-level keywords (default, stages, variables, workflow) and every job.
import type { Problems } from "../errors.ts";
import { get, isMap, isScalar, isSeq, type YMap, type YNode, type YPair } from "../yaml/tree.ts";
import { DEFAULT_AUTO_CANCEL, readAutoCancel } from "./auto-cancel.ts";
import { isBridge, readBridge } from "./bridge.ts";
import { at, checkKeys, fail, mapOf, nestedStringsOf, stringOf } from "./check.ts";
import { checkOnStopJobs } from "./environment.ts";
import { INHERITABLE, readInheritable } from "./inheritable.ts";
import { readJob } from "./job.ts";
import type { ConfigDef, DefaultsDef, JobDef } from "./model.ts";
import { readRules, WORKFLOW_RULES } from "./rules.ts";
import { MAX_NESTING } from "./simple.ts";
import { readVariables } from "./variables.ts";

const DEPRECATED_GLOBALS = ["image", "services", "before_script", "after_script", "cache"];
/** Top-level keywords that are not jobs; `workflow` takes WORKFLOW_KEYS, global `variables` GLOBAL_VARIABLE_KEYS. */
export const RESERVED: ReadonlySet<string> = new Set([
  "default",
  "variables",
  "stages",
  "workflow",
  "include",
  ...DEPRECATED_GLOBALS,
]);
export const WORKFLOW_KEYS: ReadonlySet<string> = new Set(["rules", "auto_cancel", "name"]);
/** GitLab's limit on `workflow:name`. */
const MAX_WORKFLOW_NAME = 255;
export const GLOBAL_VARIABLE_KEYS = ["value", "description", "expand", "options"];
const DEFAULT_STAGES = ["build", "test", "deploy"];
const EDGES = [".pre", ".post"];

/** Reads the expanded configuration (includes, extends and references already applied). */
export function readConfig(root: YMap, p: Problems): ConfigDef {
  const config: ConfigDef = {
    stages: [],
    variables: [],
    defaults: readDefaults(root, p),
    jobs: [],
    autoCancel: DEFAULT_AUTO_CANCEL,
    loc: root.loc,
  };
  const variables = get(root, "variables");
  if (variables) config.variables = readVariables(at(p, "variables"), variables, GLOBAL_VARIABLE_KEYS);
  config.stages = readStages(root, p);
  const workflow = get(root, "workflow");
  const workflowMap = workflow && mapOf(at(p, "workflow"), workflow);
  if (workflowMap && checkKeys(at(p, "workflow"), workflowMap, WORKFLOW_KEYS)) {
    const name = get(workflowMap, "name");
    if (name) config.workflowName = readWorkflowName(at(p, "workflow"), name);
    const autoCancel = get(workflowMap, "auto_cancel");
    if (autoCancel)
      config.autoCancel = { ...DEFAULT_AUTO_CANCEL, ...readAutoCancel(at(p, "workflow:auto_cancel"), autoCancel) };
    const rules = get(workflowMap, "rules");
    if (rules) {
      const loc = workflowMap.pairs.get("rules")!.keyLoc;
      config.workflow = { rules: readRules(at(p, "workflow:rules"), rules, WORKFLOW_RULES) ?? [], loc };
    }
  }
  let visible = 0;
  for (const pair of root.pairs.values()) {
    if (RESERVED.has(pair.key)) continue;
    const job = readEntry(p, pair);
    if (job !== "hidden") visible++;
    if (job && job !== "hidden") config.jobs.push(job);
  }
  if (visible === 0) p.add(root.loc, "jobs config should contain at least one visible job");
  checkOnStopJobs(config.jobs, (loc, message) => p.add(loc, message));
  return config;
}

/** A job, `"hidden"` for a template, or null for an entry that is not a job (reported). */
function readEntry(p: Problems, pair: YPair): JobDef | "hidden" | null {
  const { key, value } = pair;
  if (key.startsWith(".")) {
    if (isBlank(value)) fail(at(p, `jobs:${key}`), { loc: pair.keyLoc }, "config can't be blank");
    return "hidden";
  }
  if (key === "spec") return fail(at(p, "root"), { loc: pair.keyLoc }, "config uses unsupported keyword: spec") ?? null;
  if (isMap(value) && isBridge(value)) return readBridge(p, pair);
  if (isMap(value) && get(value, "script") === undefined && value.pairs.has("run"))
    return (
      fail(at(p, `jobs:${key}`), { loc: value.pairs.get("run")!.keyLoc }, "config uses unsupported keyword: run") ??
      null
    );
  if (!isMap(value) || !value.pairs.has("script")) {
    return (
      fail(
        at(p, "jobs"),
        { loc: pair.keyLoc },
        `${key} config should implement the script:, run:, or trigger: keyword`,
      ) ?? null
    );
  }
  return readJob(p, pair);
}

function isBlank(node: YNode): boolean {
  if (isScalar(node)) return node.value === null || node.text.trim() === "";
  return isSeq(node) ? node.items.length === 0 : isMap(node) ? node.pairs.size === 0 : false;
}

function readDefaults(root: YMap, p: Problems): DefaultsDef {
  const defaults: DefaultsDef = {};
  const node = get(root, "default");
  const map = node && mapOf(at(p, "default"), node);
  if (map) {
    checkKeys(at(p, "default"), map, new Set(Object.keys(INHERITABLE)), new Set(["hooks", "id_tokens"]));
    readInheritable(at(p, "default"), map, defaults);
  }
  for (const key of DEPRECATED_GLOBALS) {
    const global = get(root, key);
    if (!global) continue;
    if (map && get(map, key))
      p.add(root.pairs.get(key)!.keyLoc, `${key} is defined in top-level and \`default:\` entry`);
    else INHERITABLE[key]!(at(p, key), global, defaults);
  }
  return defaults;
}

/** `stages`, flattened, with `.pre` first and `.post` last; GitLab's default when not written. */
function readStages(root: YMap, p: Problems): string[] {
  const node = get(root, "stages");
  let stages = DEFAULT_STAGES;
  if (node) {
    const listed = isSeq(node) ? nestedStringsOf(node, MAX_NESTING) : undefined;
    if (listed) stages = listed;
    else
      fail(
        at(p, "stages"),
        node,
        `config should be an array of strings or a nested array of strings up to ${MAX_NESTING} levels deep`,
      );
  }
  const unique = [...new Set(stages.filter((s) => !EDGES.includes(s)))];
  return [".pre", ...unique, ".post"];
}

/** `workflow:name`: a string of at most 255 characters (GitLab's `Workflow` entry); `null` means none. */
function readWorkflowName(a: ReturnType<typeof at>, node: YNode): string | undefined {
  if (isScalar(node) && node.value === null) return undefined;
  const name = stringOf(node);
  if (name === undefined) return fail(a, node, "name should be a string");
  if (name.length > MAX_WORKFLOW_NAME)
    return fail(a, node, `name is too long (maximum is ${MAX_WORKFLOW_NAME} characters)`);
  return name;
}
