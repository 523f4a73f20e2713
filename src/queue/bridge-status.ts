// `strategy: depend`: a bridge's status follows its downstream pipeline's (GitLab's `inherit_status_from_downstream`).
import type { JobRow, PipelineRow } from "../store/rows.ts";
import { settleBridge } from "./bridges.ts";
import type { QueueContext } from "./context.ts";

/** Called whenever a pipeline's status changed: settles the running `depend` bridge that created it, if any. */
export function followDownstream(q: QueueContext, downstream: PipelineRow): void {
  if (downstream.upstreamJobId === null) return;
  const bridge = q.repos.jobs.findById(downstream.upstreamJobId);
  if (bridge?.status !== "running" || bridge.spec.trigger?.strategy !== "depend") return;
  const update = inherited(downstream.status);
  if (update) settleBridge(q, bridge, { ...update, finishedAt: new Date() });
}

/** GitLab's dependent mapping: success and canceled carry over, failed and skipped fail the bridge; others wait. */
function inherited(status: PipelineRow["status"]): Pick<JobRow, "status"> | null {
  switch (status) {
    case "success":
      return { status: "success" };
    case "canceled":
      return { status: "canceled" };
    case "failed":
    case "skipped":
      return { status: "failed" };
    default:
      return null;
  }
}
