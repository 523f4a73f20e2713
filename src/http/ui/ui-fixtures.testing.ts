// Test fixtures for the pages: a real in-memory store with users, a project, a pipeline and jobs (no mocks).

import type { JobStatus } from "../../domain/status.ts";
import { createTraceStore, type TraceStore } from "../../logs/trace-store.ts";
import type { PlanJob } from "../../pipeline/types.ts";
import { openStore, type Store } from "../../store/db.ts";
import type { JobRow, PipelineRow, ProjectRow, UserRow } from "../../store/rows.ts";
import { jobs, members, pipelines, projects, users } from "../../store/schema.ts";

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
  const addUser: Fixture["addUser"] = (username, opts = {}) =>
    store.db
      .insert(users)
      .values({
        username,
        name: username,
        email: `${username}@example.test`,
        passwordHash: opts.passwordHash ?? "x",
        admin: opts.admin ?? false,
      })
      .returning()
      .get();
  const user = addUser("alice");
  const project = store.db
    .insert(projects)
    .values({
      name: "Demo",
      path: "demo",
      namespace: "alice",
      ciConfig: "job:\n  script: echo hi\n",
      creatorId: user.id,
    })
    .returning()
    .get();
  const addMember: Fixture["addMember"] = (u, level) =>
    void store.db.insert(members).values({ projectId: project.id, userId: u.id, accessLevel: level }).run();
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
      store.db
        .insert(pipelines)
        .values({
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
        })
        .returning()
        .get(),
    addJob: (pipeline, spec, status = "created", extra = {}) =>
      store.db
        .insert(jobs)
        .values({
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
        })
        .returning()
        .get(),
  };
}
