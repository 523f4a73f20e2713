// `trigger:` of a bridge job: a project path, `{project, branch, strategy, forward}` or `{include, strategy, forward}`.
import type { TriggerSpec } from "../types.ts";
import { isMap, isScalar, isSeq, toPlain, type YMap, type YNode } from "../yaml/tree.ts";
import { type At, boolOf, checkKeys, fail, stringOf, under } from "./check.ts";

const CROSS_PROJECT_KEYS: ReadonlySet<string> = new Set(["project", "branch", "strategy", "forward"]);
const CHILD_KEYS: ReadonlySet<string> = new Set(["strategy", "include", "forward"]);
const FORWARD_KEYS: ReadonlySet<string> = new Set(["yaml_variables", "pipeline_variables"]);
/** GitLab's limit on `trigger:include` entries (`SameProjectTrigger::INCLUDE_MAX_SIZE`). */
const MAX_CHILD_INCLUDES = 3;
const DEFAULT_FORWARD = { yamlVariables: true, pipelineVariables: false };

/** Reads `trigger` (at `a`, GitLab's `jobs:<name>:trigger`) as GitLab's `Entry::Trigger` does; undefined on error. */
export function readTrigger(a: At, node: YNode): TriggerSpec | undefined {
  if (isScalar(node) && typeof node.value === "string") {
    if (node.value.trim() === "") return fail(a, node, "config can't be blank");
    return { project: node.value, forward: DEFAULT_FORWARD };
  }
  if (!isMap(node)) return fail(a, node, "has to be either a string or a hash");
  if (node.pairs.size === 0) return fail(a, node, "config can't be blank");
  return node.pairs.has("include") ? readChild(a, node) : readCrossProject(a, node);
}

function readCrossProject(a: At, map: YMap): TriggerSpec | undefined {
  if (!checkKeys(a, map, CROSS_PROJECT_KEYS)) return undefined;
  const projectNode = map.pairs.get("project")?.value;
  const project = stringOf(projectNode);
  if (!projectNode || (isScalar(projectNode) && projectNode.value === null))
    return fail(a, map, "project can't be blank");
  if (project === undefined) return fail(a, projectNode, "project should be a string");
  if (project.trim() === "") return fail(a, projectNode, "project can't be blank");
  const spec: TriggerSpec = { project, forward: DEFAULT_FORWARD };
  const branchNode = map.pairs.get("branch")?.value;
  if (branchNode && !(isScalar(branchNode) && branchNode.value === null)) {
    const branch = stringOf(branchNode);
    if (branch === undefined) return fail(a, branchNode, "branch should be a string");
    spec.branch = branch;
  }
  return withCommon(a, map, spec);
}

function readChild(a: At, map: YMap): TriggerSpec | undefined {
  if (!checkKeys(a, map, CHILD_KEYS)) return undefined;
  const node = map.pairs.get("include")!.value;
  const ia = under(a, "include");
  const entries = isSeq(node) ? node.items : [node];
  if (!isSeq(node) && stringOf(node) === undefined && !isMap(node))
    return fail(ia, node, "config should be an array or a string");
  if (entries.length === 0) return fail(ia, node, "config can't be blank");
  if (entries.length > MAX_CHILD_INCLUDES)
    return fail(ia, node, `config is too long (maximum is ${MAX_CHILD_INCLUDES})`);
  for (const entry of entries) {
    if (stringOf(entry) === undefined && !isMap(entry)) return fail(ia, entry, "config should be a hash or a string");
    if (isMap(entry) && !checkArtifactEntry(ia, entry)) return undefined;
  }
  return withCommon(a, map, { include: entries.map(plainEntry), forward: DEFAULT_FORWARD });
}

/** An include entry as plain data the plan stores as JSON (a huge integer as its digits). */
function plainEntry(entry: YNode): unknown {
  return JSON.parse(JSON.stringify(toPlain(entry), (_, v) => (typeof v === "bigint" ? v.toString() : v)));
}

/** `{artifact, job}`: both strings, together (GitLab's `Entry::Include` rule for artifacts). */
function checkArtifactEntry(a: At, entry: YMap): boolean {
  const artifact = entry.pairs.get("artifact")?.value;
  const job = entry.pairs.get("job")?.value;
  if (!artifact && !job) return true;
  if (artifact && !job) return fail(a, entry, "config must specify the job where to fetch the artifact from") ?? false;
  if (stringOf(artifact) === undefined || stringOf(job) === undefined)
    return fail(a, entry, "config should be a hash or a string") ?? false;
  return true;
}

/** `strategy` and `forward`, common to both forms. */
function withCommon(a: At, map: YMap, spec: TriggerSpec): TriggerSpec | undefined {
  const strategyNode = map.pairs.get("strategy")?.value;
  if (strategyNode && !(isScalar(strategyNode) && strategyNode.value === null)) {
    const strategy = stringOf(strategyNode);
    if (strategy === undefined) return fail(a, strategyNode, "strategy should be a string");
    if (strategy !== "depend") return fail(a, strategyNode, "strategy should be depend");
    spec.strategy = "depend";
  }
  const forwardNode = map.pairs.get("forward")?.value;
  if (forwardNode && !(isScalar(forwardNode) && forwardNode.value === null)) {
    const fa = under(a, "forward");
    if (!isMap(forwardNode)) return fail(fa, forwardNode, "config should be a hash");
    if (!checkKeys(fa, forwardNode, FORWARD_KEYS)) return undefined;
    const flag = (key: string, fallback: boolean): boolean | undefined => {
      const value = forwardNode.pairs.get(key)?.value;
      if (!value || (isScalar(value) && value.value === null)) return fallback;
      return boolOf(value) ?? fail(fa, value, `${key.replace("_", " ")} should be a boolean value`);
    };
    const yamlVariables = flag("yaml_variables", DEFAULT_FORWARD.yamlVariables);
    const pipelineVariables = flag("pipeline_variables", DEFAULT_FORWARD.pipelineVariables);
    if (yamlVariables === undefined || pipelineVariables === undefined) return undefined;
    spec.forward = { yamlVariables, pipelineVariables };
  }
  return spec;
}
