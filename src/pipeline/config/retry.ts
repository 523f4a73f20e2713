// `retry` (0–2, or `{max, when, exit_codes}`) and `allow_failure` (a boolean or `{exit_codes}`).
import { FAILURE_REASONS } from "../../domain/status.ts";
import type { RetrySpec } from "../types.ts";
import { isMap, isSeq, type YMap, type YNode } from "../yaml/tree.ts";
import { type At, boolOf, checkKeys, fail, intOf, stringOf } from "./check.ts";

/** Failure reasons `retry:when` accepts: GitLab's list, which names more than porthole ever reports. */
const RETRY_WHEN = new Set([
  "always",
  "unknown_failure",
  "script_failure",
  "api_failure",
  "stuck_or_timeout_failure",
  "runner_system_failure",
  "missing_dependency_failure",
  "runner_unsupported",
  "stale_schedule",
  "job_execution_timeout",
  "archived_failure",
  "unmet_prerequisites",
  "scheduler_failure",
  "data_integrity_failure",
  ...FAILURE_REASONS,
]);

export const RETRY_KEYS: ReadonlySet<string> = new Set(["max", "when", "exit_codes"]);

export function readRetry(a: At, node: YNode): RetrySpec | undefined {
  const simple = intOf(node);
  if (simple !== undefined)
    return maxOk(a, node, simple, "config") ? { max: simple, when: [], exitCodes: [] } : undefined;
  if (!isMap(node)) return fail(a, node, "config has to be either an integer or a hash");
  if (!checkKeys(a, node, RETRY_KEYS)) return undefined;
  const spec: RetrySpec = { max: 0, when: [], exitCodes: [] };
  const maxNode = node.pairs.get("max")?.value;
  if (maxNode) {
    const max = intOf(maxNode);
    if (max === undefined) return fail(a, maxNode, "max must be an integer");
    if (!maxOk(a, maxNode, max, "max")) return undefined;
    spec.max = max;
  }
  const whenNode = node.pairs.get("when")?.value;
  if (whenNode) {
    const reasons = isSeq(whenNode) ? whenNode.items.map(stringOf) : [stringOf(whenNode)];
    if (reasons.some((r) => r === undefined))
      return fail(a, whenNode, "when should be an array of strings or a string");
    const unknown = (reasons as string[]).filter((r) => !RETRY_WHEN.has(r));
    if (unknown.length > 0) {
      return fail(
        a,
        whenNode,
        isSeq(whenNode) ? `when contains unknown values: ${unknown.join(", ")}` : "when is not included in the list",
      );
    }
    spec.when = reasons as string[];
  }
  const codes = exitCodes(a, node);
  if (codes === undefined) return undefined;
  spec.exitCodes = codes;
  return spec;
}

function maxOk(a: At, node: YNode, max: number, what: string): boolean {
  if (max < 0) return fail(a, node, `${what} must be greater than or equal to 0`) ?? false;
  if (max > 2) return fail(a, node, `${what} must be less than or equal to 2`) ?? false;
  return true;
}

/** `allow_failure`: `true`/`false`, or `{exit_codes: 137}` / `{exit_codes: [1, 2]}`. */
export function readAllowFailure(a: At, node: YNode): boolean | { exitCodes: number[] } | undefined {
  const flag = boolOf(node);
  if (flag !== undefined) return flag;
  if (!isMap(node)) return fail(a, node, "config should be a hash or a boolean value");
  if (!checkKeys(a, node, new Set(["exit_codes"]))) return undefined;
  const codes = exitCodes(a, node);
  return codes === undefined ? undefined : { exitCodes: codes };
}

/** `exit_codes`: an integer or a list of integers; `[]` when absent. */
function exitCodes(a: At, map: YMap): number[] | undefined {
  const node = map.pairs.get("exit_codes")?.value;
  if (!node) return [];
  const codes = isSeq(node) ? node.items.map(intOf) : [intOf(node)];
  if (codes.some((c) => c === undefined))
    return fail(a, node, "exit codes should be an array of integers or an integer");
  return codes as number[];
}
