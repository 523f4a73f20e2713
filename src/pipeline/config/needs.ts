// `needs:` — job names or `{job, optional, artifacts, parallel: {matrix}}`; cross-project needs are refused.
import { isMap, isSeq, type YNode } from "../yaml/tree.ts";
import { type At, boolOf, checkKeys, fail, stringOf, under } from "./check.ts";
import type { NeedDef } from "./model.ts";
import { readMatrix } from "./parallel.ts";

export const NEED_KEYS: ReadonlySet<string> = new Set(["job", "optional", "artifacts", "parallel"]);
const NEED_REFUSED = new Set(["project", "ref", "pipeline"]);

/** The needs in `node` (nested lists are flattened, as GitLab does for `!reference`s). */
export function readNeeds(a: At, node: YNode): NeedDef[] | undefined {
  if (!isMap(node) && !isSeq(node)) return fail(a, node, "config can only be a Hash or an Array");
  if (isMap(node) && node.pairs.size === 0) return fail(a, node, "config can not be an empty Hash");
  const needs: NeedDef[] = [];
  for (const item of flatten(node)) {
    const need = readNeed(under(a, "need"), item, a);
    if (need) needs.push(need);
  }
  return needs;
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
