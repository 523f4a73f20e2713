// `strategy: depend`: a bridge's status follows its downstream pipeline's (GitLab's `inherit_status_from_downstream`),
// also after it ended: retrying the child's failed job and passing turns the bridge, and so the parent, green.
import type { JobRow, PipelineRow } from "../store/rows.ts";
import { settleBridge } from "./bridges.ts";
import type { QueueContext } from "./context.ts";

const FOLLOWING: ReadonlySet<JobRow["status"]> = new Set(["running", "success", "failed", "canceled"]);

/** Called whenever a pipeline's status changed: settles the `depend` bridge that created it, if any. */
export function followDownstream(q: QueueContext, downstream: PipelineRow): void {
  if (downstream.upstreamJobId === null) return;
  const bridge = q.repos.jobs.findById(downstream.upstreamJobId);
  if (!bridge || bridge.retried || bridge.spec.trigger?.strategy !== "depend" || !FOLLOWING.has(bridge.status)) return;
  const status = inherited(downstream.status);
  if (!status || status === bridge.status) return;
  settleBridge(q, bridge, {
    status,
    failureReason: null,
    errorMessage: null,
    finishedAt: new Date(),
  });
}

/** GitLab's dependent mapping: success and canceled carry over, failed and skipped fail the bridge; others wait. */
function inherited(status: PipelineRow["status"]): JobRow["status"] | null {
  switch (status) {
    case "success":
    case "canceled":
      return status;
    case "failed":
    case "skipped":
      return "failed";
    default:
      return null;
  }
}
