// Push pipelines: one changed ref (webhook, `git push` to porthole, mirror poll) becomes a pipeline on the pushed sha,
// unless the ref was deleted, the commit says `[skip ci]` or the push said `-o ci.skip`.
import { audit } from "../auth/audit.ts";
import { badRequest } from "../domain/errors.ts";
import type { QueueContext } from "./context.ts";
import { createPipeline, getProject, guardedFor } from "./create-pipeline.ts";
import type { GitMirror } from "./git-mirror.ts";
import type { PushInput, PushOutcome } from "./types.ts";

const ZERO_SHA = /^0+$/;
const SKIP_CI = /\[(skip ci|ci skip)\]/i;
const SKIP_OPTIONS = new Set(["ci.skip", "ci-skip"]);

/** `refs/heads/x` → branch `x`, `refs/tags/v1` → tag `v1`; other refs (notes, merge requests) start nothing. */
export function splitRef(full: string): { name: string; tag: boolean } | null {
  if (full.startsWith("refs/heads/") && full.length > 11) return { name: full.slice(11), tag: false };
  if (full.startsWith("refs/tags/") && full.length > 10) return { name: full.slice(10), tag: true };
  return null;
}

export async function pushPipeline(q: QueueContext, mirror: GitMirror, input: PushInput): Promise<PushOutcome> {
  const project = getProject(q, input.projectId);
  const ref = splitRef(input.ref);
  if (!ref) return { kind: "skipped", reason: "not_a_branch_or_tag" };
  if (ZERO_SHA.test(input.after)) return { kind: "skipped", reason: "deleted" };
  if (input.pushOptions?.some((option) => SKIP_OPTIONS.has(option.trim())))
    return { kind: "skipped", reason: "push_option" };
  if (input.fetch && project.importUrl) {
    // A fetch already running may have started before this push reached the forge: then fetch once more.
    const guarded = guardedFor(q, input.userId);
    await mirror.fetch(project.id, project.importUrl, guarded);
    if (!(await mirror.commitOf(project.id, input.after))) await mirror.fetch(project.id, project.importUrl, guarded);
  }
  // A reported sha must belong to the ref: a pipeline on a protected branch sees protected variables.
  if (input.fetch && !(await mirror.reachableFrom(project.id, input.after, input.ref)))
    throw badRequest(`${input.after} is not on ${input.ref}`);
  const message = await mirror.commitMessage(project.id, input.after);
  if (message !== null && SKIP_CI.test(message)) return { kind: "skipped", reason: "skip_ci" };
  const pipeline = await createPipeline(q, mirror, {
    projectId: project.id,
    ref: ref.name,
    source: "push",
    userId: input.userId,
    variables: [],
    sha: input.after,
    beforeSha: input.before,
  });
  return { kind: "pipeline", pipeline };
}

/** `pushPipeline`, with what came of it audited (`via`: `webhook:github`, `git_push`, `mirror_poll`); never throws. */
export async function auditedPush(
  q: QueueContext,
  mirror: GitMirror,
  input: PushInput,
  via: string,
): Promise<PushOutcome | null> {
  const base = { projectId: input.projectId, actor: null };
  const details = { via, ref: input.ref, before: input.before, after: input.after };
  try {
    const outcome = await pushPipeline(q, mirror, input);
    if (outcome.kind === "pipeline")
      audit(q.db, {
        ...base,
        action: "push_pipeline_created",
        targetType: "Pipeline",
        targetId: outcome.pipeline.id,
        details,
      });
    else audit(q.db, { ...base, action: "push_skipped", details: { ...details, reason: outcome.reason } });
    return outcome;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    audit(q.db, { ...base, action: "push_pipeline_failed", details: { ...details, error: message } });
    return null;
  }
}
