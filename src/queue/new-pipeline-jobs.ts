// A new pipeline's jobs as they are stored: each with the status its stages and needs give it at once, decided in
// memory before the one insert, so that a pipeline at the job limit is neither read back nor updated to release them.
import { isValidEnvironmentName } from "../domain/environment-name.ts";
import type { PlanJob } from "../pipeline/types.ts";
import type { PlannedJobRow } from "../store/planned-jobs.ts";
import type { JobRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";
import { announceDecisions, type Decidable, type Decision, decideJobs } from "./scheduler.ts";

type NewJob = Decidable & Pick<JobRow, "failureReason" | "queuedAt" | "scheduledAt" | "finishedAt">;

export interface NewPipelineJobs {
  /** The rows to insert, in the plan's order. */
  rows(pipelineId: number): PlannedJobRow[];
  /** Once `stored` (the rows' order): tells what was decided, as the pass over them as `created` jobs would. */
  announce(q: QueueContext, pipelineId: number, stored: JobRow[]): void;
}

/**
 * The jobs of `plan` decided as `advancePipeline` decides them once stored as `created`: a job whose environment
 * name expanded to something invalid is failed first (`recordDeployments` fails it so), and the jobs after it see that.
 */
export function newPipelineJobs(
  jobs: readonly PlanJob[],
  common: { projectId: number; userId: number | null },
): NewPipelineJobs {
  const now = Date.now();
  const decidable = jobs.map((spec): NewJob => {
    const invalid = spec.environment && !isValidEnvironmentName(spec.environment.name);
    return {
      spec,
      stageIdx: spec.stageIndex,
      allowFailure: spec.allowFailure === true,
      status: invalid ? "failed" : "created",
      failureReason: invalid ? "environment_creation_failure" : null,
      queuedAt: null,
      scheduledAt: null,
      finishedAt: invalid ? new Date(now) : null,
    };
  });
  const decided = decideJobs(decidable, now);
  const specJson = jobs.map((spec) => JSON.stringify(spec));
  const indexOf = new Map(decidable.map((job, index) => [job, index]));
  return {
    rows: (pipelineId) =>
      decidable.map((job, index) => ({
        ...common,
        pipelineId,
        name: job.spec.name,
        stage: job.spec.stage,
        stageIdx: job.stageIdx,
        spec: job.spec,
        specJson: specJson[index]!,
        allowFailure: job.allowFailure,
        kind: job.spec.trigger ? "bridge" : "build",
        status: job.status,
        failureReason: job.failureReason,
        queuedAt: job.queuedAt,
        scheduledAt: job.scheduledAt,
        finishedAt: job.finishedAt,
      })),
    announce(q, pipelineId, stored) {
      const decisions: Decision[] = decided.map(({ job, update }) => ({ job: stored[indexOf.get(job)!]!, update }));
      announceDecisions(q, pipelineId, decisions, stored);
    },
  };
}
