import { expect, test } from "bun:test";
import type { PlanJob } from "../pipeline/types.ts";
import { openStore } from "../store/db.ts";
import type { UserRow } from "../store/rows.ts";
import { resolveJob, resolvePipeline, resolveProject } from "./access.ts";
import type { Actor } from "./actor.ts";
import { ROLES } from "./permissions.ts";

/** A private project `Alice/Demo` with a pipeline and a job started by the developer, and one actor per role. */
function world() {
  const { db, repos } = openStore(":memory:");
  const user = (username: string, admin = false) =>
    repos.users.insert({ username, name: username, email: `${username}@x`, passwordHash: "x", admin });
  const as = (u: UserRow): Actor => ({ user: u, via: "token", scopes: ["api"] });
  const [alice, dev, other, guest, outsider, admin] = ["alice", "dev", "other", "guest", "outsider", "admin"].map((n) =>
    user(n, n === "admin"),
  ) as [UserRow, UserRow, UserRow, UserRow, UserRow, UserRow];
  const project = repos.projects.createWithOwner(
    { name: "Demo", path: "Demo", namespace: "Alice", creatorId: alice.id },
    ROLES.owner,
  );
  repos.members.insert({ projectId: project.id, userId: dev.id, accessLevel: ROLES.developer });
  repos.members.insert({ projectId: project.id, userId: other.id, accessLevel: ROLES.developer });
  repos.members.insert({ projectId: project.id, userId: guest.id, accessLevel: ROLES.guest });
  const pipeline = repos.pipelines.insert({
    projectId: project.id,
    iid: 1,
    ref: "main",
    sha: "0".repeat(40),
    source: "api",
    variables: [],
    yamlVariables: [],
  });
  const job = repos.jobs.insert({
    pipelineId: pipeline.id,
    projectId: project.id,
    name: "build",
    stage: "build",
    stageIdx: 0,
    spec: {} as PlanJob,
    userId: dev.id,
  });
  return {
    db,
    repos,
    project,
    pipeline,
    job,
    actors: { alice: as(alice), dev: as(dev), other: as(other), guest: as(guest), outsider: as(outsider) },
    admin: as(admin),
  };
}

const outcome = (r: { ok: true } | { ok: false; decision: string; what: string }) =>
  r.ok ? "ok" : `${r.decision} ${r.what}`;

test("a project resolves by id or by namespace/path in any case, with the actor's level", () => {
  const w = world();
  for (const ref of [String(w.project.id), "alice/demo", "ALICE/Demo"]) {
    const r = resolveProject(w.db, w.actors.dev, ref, "read_project");
    expect(r.ok && [r.project.id, r.level]).toEqual([w.project.id, ROLES.developer]);
  }
  expect(outcome(resolveProject(w.db, w.actors.dev, "alice/nothing", "read_project"))).toBe("not_found Project");
  expect(outcome(resolveProject(w.db, null, "alice/nothing", "read_project"))).toBe("unauthorized Project");
});

test("decisions: anonymous is unauthorized, outsiders see nothing, members below the role are forbidden", () => {
  const w = world();
  const ref = "alice/demo";
  expect(outcome(resolveProject(w.db, null, ref, "read_pipeline"))).toBe("unauthorized Project");
  expect(outcome(resolveProject(w.db, w.actors.outsider, ref, "read_pipeline"))).toBe("not_found Project");
  expect(outcome(resolveProject(w.db, w.actors.guest, ref, "read_pipeline"))).toBe("forbidden Project");
  expect(outcome(resolveProject(w.db, w.actors.dev, ref, "read_pipeline"))).toBe("ok");
  expect(outcome(resolveProject(w.db, w.admin, ref, "delete_project"))).toBe("ok");
});

test("pipelines and jobs: found only inside their project, then the action is decided on them", () => {
  const w = world();
  const ref = "alice/demo";
  const elsewhere = w.repos.projects.insert({ name: "Else", path: "else", namespace: "Alice" });
  const foreign = w.repos.pipelines.insert({ ...w.pipeline, id: undefined, projectId: elsewhere.id });
  expect(outcome(resolvePipeline(w.db, w.admin, ref, foreign.id, "read_pipeline"))).toBe("not_found Pipeline");
  expect(outcome(resolvePipeline(w.db, w.actors.dev, ref, w.pipeline.id, "update_pipeline"))).toBe("ok");
  expect(outcome(resolvePipeline(w.db, w.actors.dev, ref, w.pipeline.id + 1, "read_pipeline"))).toBe(
    "not_found Pipeline",
  );
  expect(outcome(resolvePipeline(w.db, w.actors.guest, ref, w.pipeline.id, "read_pipeline"))).toBe(
    "forbidden Pipeline",
  );
  expect(outcome(resolvePipeline(w.db, w.actors.outsider, ref, w.pipeline.id, "read_pipeline"))).toBe(
    "not_found Project",
  );
  expect(outcome(resolveJob(w.db, w.actors.dev, ref, w.job.id, "open_terminal"))).toBe("ok");
  expect(outcome(resolveJob(w.db, w.actors.other, ref, w.job.id, "open_terminal"))).toBe("forbidden Job");
  expect(outcome(resolveJob(w.db, w.actors.alice, ref, w.job.id, "open_terminal"))).toBe("ok");
  expect(outcome(resolveJob(w.db, w.actors.dev, ref, Number.NaN, "read_job"))).toBe("not_found Job");
});
