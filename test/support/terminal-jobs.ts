// Projects, users and running jobs for terminal tests, made through the real API of a real porthole.
import { eq } from "drizzle-orm";
import { insertTestUser } from "../../src/auth/users.testing.ts";
import { jobs } from "../../src/store/schema.ts";
import type { TestPorthole } from "./porthole.ts";
import { waitFor } from "./wait.ts";

/** A job that runs until a file named `go` appears in its project dir (the test types `touch go`). */
export const WAIT_FOR_GO = `debug-me:\n  script:\n    - while [ ! -f go ]; do sleep 0.1; done\n    - echo script-finished\n`;

export interface RunningJob {
  projectId: number;
  projectPath: string;
  jobId: number;
  /** `/<namespace>/<project>/-/jobs/<id>` */
  jobPath: string;
}

type Json = Record<string, unknown>;

export async function json<T = Json>(res: Response | Promise<Response>): Promise<T> {
  const r = await res;
  if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

export async function createProject(
  t: TestPorthole,
  name: string,
  yaml = WAIT_FOR_GO,
): Promise<{ id: number; path: string }> {
  const p = await json<{ id: number; path_with_namespace: string }>(
    t.api("/projects", { method: "POST", json: { name, ci_config: yaml } }),
  );
  return { id: p.id, path: p.path_with_namespace };
}

/** Starts a pipeline on `ref` (as `token`'s user) and waits until its first job runs. */
export async function runJob(
  t: TestPorthole,
  project: { id: number; path: string },
  token = t.rootToken,
  ref = "main",
): Promise<RunningJob> {
  const pipeline = await json<{ id: number }>(
    t.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref }, token }),
  );
  const [job] = await json<{ id: number }[]>(t.api(`/projects/${project.id}/pipelines/${pipeline.id}/jobs`));
  // The runner offers the terminal before fetching sources, which recreate the project dir: wait for the script.
  await waitFor("the job's script to start", async () => {
    const trace = await (await t.api(`/projects/${project.id}/jobs/${job!.id}/trace`)).text();
    return jobStatus(t, job!.id) === "running" && trace.includes('Executing "step_script"');
  });
  return {
    projectId: project.id,
    projectPath: project.path,
    jobId: job!.id,
    jobPath: `/${project.path}/-/jobs/${job!.id}`,
  };
}

export function jobStatus(t: TestPorthole, jobId: number): string | undefined {
  return t.porthole.store.db.select({ status: jobs.status }).from(jobs).where(eq(jobs.id, jobId)).get()?.status;
}

/** A user with `api` token and, when `level` is given, that role in the project. */
export async function userWithRole(
  t: TestPorthole,
  name: string,
  projectId: number,
  level?: number,
): Promise<{ id: number; token: string }> {
  // Straight into the database with the one precomputed hash: a real argon2 hash per user is 0.1–0.5 s of a core.
  const user = insertTestUser(t.porthole.store.db, { username: name, email: `${name}@example.test` });
  if (level)
    await json(
      t.api(`/projects/${projectId}/members`, { method: "POST", json: { user_id: user.id, access_level: level } }),
    );
  const { token } = await json<{ token: string }>(
    t.api(`/users/${user.id}/personal_access_tokens`, { method: "POST", json: { name: "t", scopes: ["api"] } }),
  );
  return { id: user.id, token };
}
