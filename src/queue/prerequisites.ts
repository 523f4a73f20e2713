// What holds a created job back: its `needs` (looked up by name) or the stages before it (counted per stage), kept
// in step as jobs change, so releasing a pipeline at the job limit does not compare every job with every other.
import type { JobRow } from "../store/rows.ts";

export type Prereqs = { waiting: boolean; failed: boolean; needSkipped: boolean };

/** Jobs that have not settled yet, for the purpose of releasing the jobs after them. */
function unsettled(job: JobRow, viaNeeds: boolean): boolean {
  if (job.status === "manual") return viaNeeds || !job.allowFailure;
  return job.status === "created" || job.status === "pending" || job.status === "running" || job.status === "scheduled";
}

const failedHard = (j: JobRow) => (j.status === "failed" && !j.allowFailure) || j.status === "canceled";

interface StageCounts {
  stageIdx: number;
  /** Jobs of the stage that hold back later stages. */
  unsettled: number;
  /** Jobs of the stage that failed the later stages. */
  failed: number;
}

/** The current jobs of one pipeline, indexed; change jobs through `apply` so the counts stay true. */
export class PrerequisiteIndex {
  private readonly byName = new Map<string, JobRow[]>();
  private readonly stages = new Map<number, StageCounts>();
  /** The stages in order, for summing those before a job's. */
  private readonly ordered: StageCounts[];

  constructor(current: JobRow[]) {
    for (const job of current) {
      const named = this.byName.get(job.spec.baseName);
      if (named) named.push(job);
      else this.byName.set(job.spec.baseName, [job]);
      if (!this.stages.has(job.stageIdx))
        this.stages.set(job.stageIdx, { stageIdx: job.stageIdx, unsettled: 0, failed: 0 });
      this.count(job, 1);
    }
    this.ordered = [...this.stages.values()].sort((a, b) => a.stageIdx - b.stageIdx);
  }

  of(job: JobRow): Prereqs {
    const needs = job.spec.needs;
    if (needs) {
      const before = needs.flatMap((n) => this.byName.get(n.job) ?? []);
      return {
        waiting: before.some((j) => unsettled(j, true)),
        failed: before.some(failedHard),
        needSkipped: before.some((j) => j.status === "skipped"),
      };
    }
    let waiting = false;
    let failed = false;
    for (const stage of this.ordered) {
      if (stage.stageIdx >= job.stageIdx) break;
      waiting ||= stage.unsettled > 0;
      failed ||= stage.failed > 0;
    }
    return { waiting, failed, needSkipped: false };
  }

  /** Changes `job` in place (it is one of the current jobs) and the counts with it. */
  apply(job: JobRow, update: Partial<JobRow>): void {
    this.count(job, -1);
    Object.assign(job, update);
    this.count(job, 1);
  }

  private count(job: JobRow, by: 1 | -1): void {
    const stage = this.stages.get(job.stageIdx)!;
    if (unsettled(job, false)) stage.unsettled += by;
    if (failedHard(job)) stage.failed += by;
  }
}
