// Masked variables never show in a job's trace, however the script prints them; protected ones reach protected branches only.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { json, userWithRole } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

const SECRET = "s3cr3tV4lu3Z";
const SCRIPT = `leak:
  script:
    - echo "$SECRET"
    - echo "before\${SECRET}after"
    - printf '%s' "$(echo "$SECRET" | cut -c1-6)"; sleep 0.3; printf '%s\\n' "$(echo "$SECRET" | cut -c7-)"
    - set -x; echo "traced $SECRET"; set +x
    - echo "$SECRET" | base64
    - echo "protected=\${PROTECTED_ONE:-absent}"
`;

let t: TestPorthole;
let project: { id: number; path_with_namespace: string };
let developer: { id: number; token: string };

beforeAll(async () => {
  t = await startTestPorthole();
  project = await json(t.api("/projects", { method: "POST", json: { name: "masking", ci_config: SCRIPT } }));
  developer = await userWithRole(t, "dev", project.id, 30);
  await json(
    t.api(`/projects/${project.id}/variables`, {
      method: "POST",
      json: { key: "SECRET", value: SECRET, masked: true },
    }),
  );
  await json(
    t.api(`/projects/${project.id}/variables`, {
      method: "POST",
      json: { key: "PROTECTED_ONE", value: "only-protected", protected: true },
    }),
  );
});
afterAll(async () => {
  await t?.stop();
});

/** Runs a pipeline on main and answers its finished job's trace (API) and raw log page. */
async function runAndRead(): Promise<{ trace: string; raw: string }> {
  const pipeline = await json<{ id: number }>(
    t.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" } }),
  );
  const [job] = await json<{ id: number }[]>(t.api(`/projects/${project.id}/pipelines/${pipeline.id}/jobs`));
  await waitFor(
    "the job to finish",
    async () => (await json<{ status: string }>(t.api(`/projects/${project.id}/jobs/${job!.id}`))).status === "success",
  );
  const trace = await (await t.api(`/projects/${project.id}/jobs/${job!.id}/trace`)).text();
  const { cookieValue } = createWebSession(t.porthole.store.db, 1, {});
  const page = `${t.url}/${project.path_with_namespace}/-/jobs/${job!.id}/raw`;
  const raw = await (await fetch(page, { headers: { Cookie: `_porthole_session=${cookieValue}` } })).text();
  return { trace, raw };
}

test("the literal secret is in neither the API trace nor the raw log, however it was printed; base64 of it may be", async () => {
  const { trace, raw } = await runAndRead();
  for (const text of [trace, raw]) {
    expect(text).toContain("before[MASKED]after");
    expect(text).toContain("traced [MASKED]");
    expect(text).toContain(Buffer.from(`${SECRET}\n`).toString("base64"));
    expect(text).not.toContain(SECRET);
  }
});

test("a Developer never gets the value from the API", async () => {
  const asDev = (path: string) => t.api(path, { token: developer.token });
  for (const path of [`/projects/${project.id}/variables`, `/projects/${project.id}/variables/SECRET`]) {
    const res = await asDev(path);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain(SECRET);
  }
  for (const path of [`/projects/${project.id}/jobs`, `/projects/${project.id}/pipelines`]) {
    const res = await asDev(path);
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain(SECRET);
  }
});

test("protected variables follow the project's protected branch list (default: the default branch)", async () => {
  expect((await runAndRead()).trace).toContain("protected=only-protected");
  expect((await t.api(`/projects/${project.id}/protected_branches/main`, { method: "DELETE" })).status).toBe(204);
  expect((await runAndRead()).trace).toContain("protected=absent");
  expect(
    (await t.api(`/projects/${project.id}/protected_branches`, { method: "POST", json: { name: "ma*" } })).status,
  ).toBe(201);
  expect((await runAndRead()).trace).toContain("protected=only-protected");
  const events = await json<{ details: { custom_message: string; target_id: string } }[]>(
    t.api(`/projects/${project.id}/audit_events`),
  );
  expect(events.slice(0, 2).map((e) => [e.details.custom_message, e.details.target_id])).toEqual([
    ["protected_branch_created", "ma*"],
    ["protected_branch_deleted", "main"],
  ]);
});
