// `needs:` — job names or `{job, optional, artifacts, parallel: {matrix}}`; in a job also `{pipeline, job, artifacts}`
// (artifacts of a job of an upstream pipeline of the same project); cross-project needs are refused.
import { isMap, isSeq, type YMap, type YNode } from "../yaml/tree.ts";
import { type At, boolOf, checkKeys, fail, stringOf, under } from "./check.ts";
import type { NeedDef } from "./model.ts";
import { readMatrix } from "./parallel.ts";

export const NEED_KEYS: ReadonlySet<string> = new Set(["job", "optional", "artifacts", "parallel"]);
const NEED_REFUSED = new Set(["project", "ref", "pipeline"]);
/** GitLab's `CrossPipelineDependency` keys. */
const CROSS_PIPELINE_KEYS: ReadonlySet<string> = new Set(["pipeline", "job", "artifacts"]);

/**
 * The needs in `node` (nested lists are flattened, as GitLab does for `!reference`s). With `crossPipeline` (a job's
 * own `needs`), `{pipeline, job}` entries are read too, marked with their `pipeline`.
 */
export function readNeeds(a: At, node: YNode, crossPipeline = false): NeedDef[] | undefined {
  if (!isMap(node) && !isSeq(node)) return fail(a, node, "config can only be a Hash or an Array");
  if (isMap(node) && node.pairs.size === 0) return fail(a, node, "config can not be an empty Hash");
  const needs: NeedDef[] = [];
  for (const item of flatten(node)) {
    const cross = crossPipeline && isMap(item) && item.pairs.has("pipeline") && !item.pairs.has("project");
    // GitLab's Need strategies: `{pipeline}` without a job is none of them.
    if (cross && !item.pairs.has("job")) {
      fail(under(a, "need"), item, "has an unsupported type");
      continue;
    }
    const need = cross ? readCrossPipelineNeed(under(a, "need"), item) : readNeed(under(a, "need"), item, a);
    if (need) needs.push(need);
  }
  return needs;
}

/** `{pipeline: $PARENT_PIPELINE_ID, job: build}`: a job of another pipeline whose artifacts this job downloads. */
function readCrossPipelineNeed(a: At, node: YMap): NeedDef | undefined {
  if (!checkKeys(a, node, CROSS_PIPELINE_KEYS)) return undefined;
  const pipelineNode = node.pairs.get("pipeline")!.value;
  const pipeline = stringOf(pipelineNode);
  if (pipeline === undefined) return fail(a, pipelineNode, "pipeline should be a string");
  if (pipeline === "") return fail(a, pipelineNode, "pipeline can't be blank");
  const jobNode = node.pairs.get("job")!.value;
  const job = stringOf(jobNode);
  if (job === "") return fail(a, node, "job can't be blank");
  if (job === undefined) return fail(a, jobNode, "job should be a string");
  const artifactsNode = node.pairs.get("artifacts")?.value;
  if (artifactsNode && boolOf(artifactsNode) === undefined)
    return fail(a, artifactsNode, "artifacts should be a boolean value");
  const need: NeedDef = { job, optional: false, loc: jobNode.loc, pipeline };
  if (boolOf(artifactsNode) === false) need.artifacts = false;
  return need;
}

function flatten(node: YNode): YNode[] {
  return isSeq(node) ? node.items.flatMap(flatten) : [node];
}

function readNeed(a: At, node: YNode, needs: At): NeedDef | undefined {
  const name = stringOf(node);
  if (name !== undefined)
    return name === "" ? fail(a, node, "config can't be blank") : { job: name, optional: false, loc: node.loc };
  if (!isMap(node)) return fail(a, node, "has an unsupported type");
  if (!checkKeys(a, node, NEED_KEYS, NEED_REFUSED)) return undefined;
  const jobNode = node.pairs.get("job")?.value;
  const job = stringOf(jobNode);
  if (!jobNode || job === "") return fail(a, node, "job can't be blank");
  if (job === undefined) return fail(a, jobNode, "job should be a string");
  const need: NeedDef = { job, optional: false, loc: jobNode.loc };
  for (const flag of ["optional", "artifacts"] as const) {
    const flagNode = node.pairs.get(flag)?.value;
    if (flagNode && boolOf(flagNode) === undefined) return fail(a, flagNode, `${flag} should be a boolean value`);
  }
  need.optional = boolOf(node.pairs.get("optional")?.value) ?? false;
  if (boolOf(node.pairs.get("artifacts")?.value) === false) need.artifacts = false;
  const parallel = node.pairs.get("parallel")?.value;
  if (parallel) {
    if (!isMap(parallel)) return fail(needs, parallel, 'config cannot use "parallel: <number>".');
    const p = under(a, "parallel");
    if (!checkKeys(p, parallel, new Set(["matrix"]))) return undefined;
    const matrixNode = parallel.pairs.get("matrix")?.value;
    if (!matrixNode) return fail(p, parallel, "config missing required keys: matrix");
    need.matrix = readMatrix(under(p, "matrix"), matrixNode);
  }
  return need;
}
