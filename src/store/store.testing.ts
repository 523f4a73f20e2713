// Test fixtures for the store: a pipeline and a job holding only what the test at hand cares about.
import type { PlanJob } from "../pipeline/types.ts";
import type { NewJobRow } from "./jobs.ts";
import type { NewPipelineRow } from "./pipelines.ts";
import type { Repositories } from "./repositories.ts";

/** Pipeline #1 of `projectId` on main, from the API; `extra` overrides any field. */
export const insertTestPipeline = (repos: Repositories, projectId: number, extra: Partial<NewPipelineRow> = {}) =>
  repos.pipelines.insert({
    projectId,
    iid: 1,
    ref: "main",
    sha: "0".repeat(40),
    source: "api",
    variables: [],
    yamlVariables: [],
    ...extra,
  });

/** Job `j` in stage test of `pipeline`, with an empty spec; `extra` overrides any field. */
export const insertTestJob = (
  repos: Repositories,
  pipeline: { id: number; projectId: number },
  extra: Partial<NewJobRow> = {},
) =>
  repos.jobs.insert({
    pipelineId: pipeline.id,
    projectId: pipeline.projectId,
    name: "j",
    stage: "test",
    stageIdx: 0,
    spec: {} as PlanJob,
    ...extra,
  });

/** The row of plan job `spec` in `pipeline`, started by `userId` (as creating a pipeline would make it). */
export const testJobRow = (pipeline: { id: number; projectId: number }, spec: PlanJob, userId: number): NewJobRow => ({
  pipelineId: pipeline.id,
  projectId: pipeline.projectId,
  name: spec.name,
  stage: spec.stage,
  stageIdx: spec.stageIndex,
  spec,
  allowFailure: spec.allowFailure === true,
  userId,
});

/**
 * The data folder of a test without one: below /dev/null, so writing there fails even as root (a plain missing
 * path such as /nonexistent is created by the first test that writes, and then leaks into every later test).
 */
export const NO_DATA_DIR = "/dev/null/porthole-test-data";
