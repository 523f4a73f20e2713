// Test fixtures for the pages: a real in-memory store with users, a project, a pipeline and jobs (no mocks).

import type { JobStatus } from "../../domain/status.ts";
import { createTraceStore, type TraceStore } from "../../logs/trace-store.ts";
import type { PlanJob } from "../../pipeline/types.ts";
import { openStore, type Store } from "../../store/db.ts";
import type { JobRow, PipelineRow, ProjectRow, UserRow } from "../../store/rows.ts";

export interface Fixture {
  store: Store;
  traces: TraceStore;
  user: UserRow;
  project: ProjectRow;
  addUser(username: string, opts?: { admin?: boolean; passwordHash?: string }): UserRow;
  addMember(user: UserRow, level: number): void;
  addPipeline(status?: JobStatus, ref?: string): PipelineRow;
  addJob(pipeline: PipelineRow, spec: PlanJob, status?: JobStatus, extra?: Partial<JobRow>): JobRow;
}

/** A store with user `alice` owning project `alice/demo` (inline CI config). */
export function makeFixture(): Fixture {
  const store = openStore(":memory:");
  const traces = createTraceStore(store.db);
  const { repos } = store;
  const addUser: Fixture["addUser"] = (username, opts = {}) =>
    repos.users.insert({
      username,
      name: username,
      email: `${username}@example.test`,
      passwordHash: opts.passwordHash ?? "x",
      admin: opts.admin ?? false,
    });
  const user = addUser("alice");
  const project = repos.projects.insert({
    name: "Demo",
    path: "demo",
    namespace: "alice",
    ciConfig: "job:\n  script: echo hi\n",
    creatorId: user.id,
  });
  const addMember: Fixture["addMember"] = (u, level) =>
    void repos.members.insert({ projectId: project.id, userId: u.id, accessLevel: level });
  addMember(user, 50);
  let iid = 0;
  return {
    store,
    traces,
    user,
    project,
    addUser,
    addMember,
    addPipeline: (status = "running", ref = "main") =>
      repos.pipelines.insert({
        projectId: project.id,
        iid: ++iid,
        ref,
        sha: "0123456789abcdef0123456789abcdef01234567",
        source: "web",
        status,
        variables: [],
        yamlVariables: [],
        userId: user.id,
        startedAt: new Date(Date.now() - 65_000),
      }),
    addJob: (pipeline, spec, status = "created", extra = {}) =>
      repos.jobs.insert({
        pipelineId: pipeline.id,
        projectId: project.id,
        name: spec.name,
        stage: spec.stage,
        stageIdx: spec.stageIndex,
        spec,
        status,
        userId: user.id,
        allowFailure: spec.allowFailure === true,
        ...extra,
      }),
  };
}
