// Route-test harness: the real app and the real queue on a real SQLite file, real users and tokens, no runner (jobs
// stay where the scheduler puts them). `pipeline()` inserts rows directly for list and shape tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { ROLES } from "../../src/auth/permissions.ts";
import { createPersonalAccessToken, type TokenScope } from "../../src/auth/tokens.ts";
import { insertTestUser } from "../../src/auth/users.testing.ts";
import type { JobStatus } from "../../src/domain/status.ts";
import { composeTestApp, TEST_BASE_URL } from "../../src/http/compose.testing.ts";
import type { Logger } from "../../src/logger.ts";
import { planJob } from "../../src/pipeline/pipeline.testing.ts";
import { createProject, type ProjectFields } from "../../src/queue/project-changes.ts";
import type { ProjectRow, UserRow } from "../../src/store/rows.ts";
import { jobs, members, pipelines, projects } from "../../src/store/schema.ts";

export const BASE = TEST_BASE_URL;

export interface RequestOptions {
  method?: string;
  token?: string | null;
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** A raw body, sent as is (with `headers` naming its type). */
  body?: string;
}

/** `opts.logger` catches what the app logs (failed requests); by default it goes to standard error. */
export async function makeHarness(opts: { logger?: Logger; now?: () => number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "porthole-api-"));
  const { app, store, db, traces, queue, close } = composeTestApp(dir, { logger: opts.logger, now: opts.now });
  const events = queue.events;

  async function user(username: string, opts: { admin?: boolean; scopes?: TokenScope[] } = {}) {
    const user = insertTestUser(db, { username, admin: opts.admin });
    const { token } = createPersonalAccessToken(db, { userId: user.id, name: "test", scopes: opts.scopes ?? ["api"] });
    return { user, token };
  }
  const root = await user("root", { admin: true });

  return {
    app,
    store,
    db,
    traces,
    events,
    root,
    user,
    request(path: string, opts: RequestOptions = {}) {
      const headers = new Headers(opts.headers);
      const token = opts.token === undefined ? root.token : opts.token;
      if (token !== null) headers.set("PRIVATE-TOKEN", token);
      let body: BodyInit | undefined = opts.body;
      if (opts.json !== undefined) {
        headers.set("Content-Type", "application/json");
        body = JSON.stringify(opts.json);
      } else if (opts.form) {
        headers.set("Content-Type", "application/x-www-form-urlencoded");
        body = new URLSearchParams(opts.form).toString();
      }
      return app.request(`${BASE}/api/v4${path}`, { method: opts.method ?? (body ? "POST" : "GET"), headers, body });
    },
    project(owner: UserRow, fields: ProjectFields = {}): ProjectRow {
      return createProject(db, owner, { name: `p${Math.random().toString(36).slice(2, 8)}`, ...fields });
    },
    member(project: ProjectRow, who: UserRow, level: number = ROLES.developer) {
      db.insert(members).values({ projectId: project.id, userId: who.id, accessLevel: level }).run();
    },
    /** A pipeline with jobs, as rows (what the queue would have made). */
    pipeline(
      project: ProjectRow,
      spec: {
        status?: JobStatus;
        ref?: string;
        userId?: number | null;
        jobs?: { name: string; stage?: string; status?: JobStatus; userId?: number | null; tags?: string[] }[];
      },
    ) {
      const { iid } = db
        .update(projects)
        .set({ pipelineIidSeq: sql`${projects.pipelineIidSeq} + 1` })
        .where(eq(projects.id, project.id))
        .returning({ iid: projects.pipelineIidSeq })
        .get()!;
      const p = db
        .insert(pipelines)
        .values({
          projectId: project.id,
          iid,
          ref: spec.ref ?? "main",
          sha: "a".repeat(40),
          source: "api",
          status: spec.status ?? "running",
          userId: spec.userId ?? null,
          variables: [],
          yamlVariables: [],
        })
        .returning()
        .get();
      const made = (spec.jobs ?? []).map((j, i) =>
        db
          .insert(jobs)
          .values({
            pipelineId: p.id,
            projectId: project.id,
            name: j.name,
            stage: j.stage ?? "test",
            stageIdx: i,
            status: j.status ?? "pending",
            userId: j.userId === undefined ? (spec.userId ?? null) : j.userId,
            spec: planJob(j.name, 0, { stage: j.stage ?? "test", tags: j.tags ?? [] }),
          })
          .returning()
          .get(),
      );
      return { pipeline: p, jobs: made };
    },
    close() {
      close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Harness = Awaited<ReturnType<typeof makeHarness>>;
