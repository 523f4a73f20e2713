// `workflow:auto_cancel` (GitLab's messages, from its AutoCancel entry): what a new commit on the ref and a failing job cancel (GitLab's on_new_commit, on_job_failure).
import type { AutoCancelSpec } from "../types.ts";
import type { YNode } from "../yaml/tree.ts";
import { type At, checkKeys, fail, mapOf, stringOf } from "./check.ts";

const ON_NEW_COMMIT = ["conservative", "interruptible", "none"] as const;
const ON_JOB_FAILURE = ["none", "all"] as const;

export const AUTO_CANCEL_KEYS: ReadonlySet<string> = new Set(["on_new_commit", "on_job_failure"]);

export const DEFAULT_AUTO_CANCEL: AutoCancelSpec = { onNewCommit: "conservative", onJobFailure: "none" };

/** The settings written (`workflow:auto_cancel`, or a `workflow:rules` rule's, which override those per key). */
export function readAutoCancel(a: At, node: YNode): Partial<AutoCancelSpec> {
  const spec: Partial<AutoCancelSpec> = {};
  const map = mapOf(a, node);
  if (!map || !checkKeys(a, map, AUTO_CANCEL_KEYS)) return spec;
  const onNewCommit = map.pairs.get("on_new_commit")?.value;
  if (onNewCommit) {
    const value = ON_NEW_COMMIT.find((v) => v === stringOf(onNewCommit));
    if (value) spec.onNewCommit = value;
    else fail(a, onNewCommit, `on new commit must be one of: ${ON_NEW_COMMIT.join(", ")}`);
  }
  const onJobFailure = map.pairs.get("on_job_failure")?.value;
  if (onJobFailure) {
    const value = ON_JOB_FAILURE.find((v) => v === stringOf(onJobFailure));
    if (value) spec.onJobFailure = value;
    else fail(a, onJobFailure, `on job failure must be one of: ${ON_JOB_FAILURE.join(", ")}`);
  }
  return spec;
}
