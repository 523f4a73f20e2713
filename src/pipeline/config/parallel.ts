// `parallel: N` (`name 1/N` … `name N/N`) and `parallel: matrix` (`name: [v1, v2]`, the cross-product of values).
import type { YamlVariable } from "../types.ts";
import { isMap, isScalar, isSeq, type YNode } from "../yaml/tree.ts";
import { type At, checkKeys, fail, under } from "./check.ts";
import type { ParallelInstance } from "./model.ts";

/** GitLab's limit on the jobs one `parallel` makes. */
export const PARALLEL_LIMIT = 200;

export function readParallel(a: At, node: YNode): ParallelInstance[] | undefined {
  if (isScalar(node) && typeof node.value === "number") {
    const n = node.value;
    if (!Number.isInteger(n)) return fail(a, node, "config must be an integer");
    if (n < 1) return fail(a, node, "config must be greater than or equal to 1");
    if (n > PARALLEL_LIMIT) return fail(a, node, `config must be less than or equal to ${PARALLEL_LIMIT}`);
    return Array.from({ length: n }, (_, i) => ({ suffix: ` ${i + 1}/${n}`, variables: [] }));
  }
  if (!isMap(node)) return fail(a, node, "should be an integer or a hash");
  if (!checkKeys(a, node, new Set(["matrix"]))) return undefined;
  const matrixNode = node.pairs.get("matrix")?.value;
  if (!matrixNode) return fail(a, node, "config missing required keys: matrix");
  const matrix = readMatrix(under(a, "matrix"), matrixNode);
  return matrix && matrixInstances(matrix);
}

/** A `matrix`: a list of hashes whose values are a value or a list of values (strings or integers). */
export function readMatrix(a: At, node: YNode): Record<string, string[]>[] | undefined {
  if (!isSeq(node) || !node.items.every(isMap)) return fail(a, node, "config should be an array of hashes");
  const matrix: Record<string, string[]>[] = [];
  for (const entry of node.items) {
    if (!isMap(entry)) continue;
    const v = under(a, "variables");
    if (entry.pairs.size === 0) return fail(v, entry, "config requires at least 1 items");
    const row = Object.create(null) as Record<string, string[]>;
    for (const [key, pair] of entry.pairs) {
      const values = isSeq(pair.value) ? pair.value.items : [pair.value];
      const ok =
        values.length > 0 &&
        values.every((x) => isScalar(x) && (typeof x.value === "string" || Number.isInteger(x.value)));
      if (!ok) return fail(v, pair.value, "config should be a hash of key value pairs, value can be an array");
      if (!/^[A-Za-z0-9_]+$/.test(key))
        return fail(under(v, key), { loc: pair.keyLoc }, "key can contain only letters, digits and '_'");
      row[key] = values.map((x) => (x as { text: string }).text);
    }
    matrix.push(row);
  }
  const total = matrix.reduce((sum, row) => sum + Object.values(row).reduce((n, values) => n * values.length, 1), 0);
  if (total > PARALLEL_LIMIT) return fail(a, node, `config generates too many jobs (maximum is ${PARALLEL_LIMIT})`);
  return matrix;
}

/** Every combination, in GitLab's order (rows in order, each the cross-product of its values in key order). */
export function matrixInstances(matrix: readonly Record<string, string[]>[]): ParallelInstance[] {
  return matrix.flatMap((row) => {
    let combos: YamlVariable[][] = [[]];
    for (const [key, values] of Object.entries(row)) {
      combos = combos.flatMap((combo) => values.map((value) => [...combo, { key, value, raw: false }]));
    }
    return combos.map((variables) => ({ suffix: `: [${variables.map((v) => v.value).join(", ")}]`, variables }));
  });
}
