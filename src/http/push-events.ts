// Runs a push (webhook, `git push`) through the pipeline service and audits what came of it.
import { audit } from "../auth/audit.ts";
import type { PushInput, PushOutcome } from "../queue/types.ts";
import type { AppDeps } from "./env.ts";

/** How the push arrived, for the audit entry: `webhook:github`, `git_push`, … */
export async function runPush(deps: AppDeps, input: PushInput, via: string): Promise<PushOutcome | null> {
  const db = deps.store.db;
  const base = { projectId: input.projectId, actor: null };
  const details = { via, ref: input.ref, before: input.before, after: input.after };
  try {
    const outcome = await deps.pipelines.push(input);
    if (outcome.kind === "pipeline")
      audit(db, {
        ...base,
        action: "push_pipeline_created",
        targetType: "Pipeline",
        targetId: outcome.pipeline.id,
        details,
      });
    else audit(db, { ...base, action: "push_skipped", details: { ...details, reason: outcome.reason } });
    return outcome;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    audit(db, { ...base, action: "push_pipeline_failed", details: { ...details, error: message } });
    return null;
  }
}
