// `debug:`, porthole's own job keyword: `debug: { on_failure: 30m }` holds a failed script's environment for a terminal.
import type { DebugSpec } from "../../domain/debug.ts";
import { get, isMap, type YNode } from "../yaml/tree.ts";
import { type At, checkKeys, fail, under } from "./check.ts";
import { readDuration } from "./simple.ts";

const DEBUG_KEYS: ReadonlySet<string> = new Set(["on_failure"]);
/** The longest a failed job may wait for a terminal. */
const MAX_WAIT_SECONDS = 24 * 3600;

/** What the lint result and the job log say about the keyword: it works here, and GitLab refuses the file. */
export const PORTHOLE_ONLY = "is porthole's own keyword (GitLab refuses a file that uses it)";

export function readDebug(a: At, node: YNode): DebugSpec | undefined {
  a.p.warn(`${a.where} ${PORTHOLE_ONLY}`);
  if (!isMap(node)) return fail(a, node, "config should be a hash with on_failure: <duration>");
  if (!checkKeys(a, node, DEBUG_KEYS)) return undefined;
  const wait = get(node, "on_failure");
  if (!wait) return {};
  const seconds = readDuration(under(a, "on_failure"), wait, "config", MAX_WAIT_SECONDS);
  return seconds === undefined ? undefined : { onFailure: seconds };
}
