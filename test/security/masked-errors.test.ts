// Issue 10 item 9: a masked variable built into the CI file (`include: "cfg/$SECRET.yml"`) never shows in the
// pipeline-creation error, on the API or the "Run pipeline" page, for a developer who cannot read the variable.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { makeRepo } from "../support/git-repo.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { json, userWithRole } from "../support/terminal-jobs.ts";

const SECRET = `hunter2-${crypto.randomUUID().slice(0, 8)}`;
/** A value a path normalisation would change (`//` → `/`): the error must not show it in either form. */
const SLASHY = `ab//${crypto.randomUUID().slice(0, 8)}`;
const CI = 'include: ["cfg/$SECRET.yml", "cfg/$SLASHY.yml"]\nbuild:\n  script: [echo hi]\n';
const leaks = (text: string) =>
  [SECRET, SLASHY, SLASHY.replace("//", "/"), SLASHY.slice(4)].filter((value) => text.includes(value));

let t: TestPorthole;
let project: { id: number; path_with_namespace: string };
let developer: { id: number; token: string };

beforeAll(async () => {
  t = await startTestPorthole({ runner: { enabled: false } });
  const repo = makeRepo({ ".gitlab-ci.yml": CI });
  project = await json(t.api("/projects", { method: "POST", json: { name: "masked-errors", import_url: repo.dir } }));
  developer = await userWithRole(t, "dev", project.id, 30);
  // The developer must be allowed to run on main: the refusal under test is the include's, not the protected ref's.
  await t.api(`/projects/${project.id}/protected_branches/main`, { method: "DELETE" });
  for (const [key, value] of [
    ["SECRET", SECRET],
    ["SLASHY", SLASHY],
  ])
    await json(t.api(`/projects/${project.id}/variables`, { method: "POST", json: { key, value, masked: true } }));
});
afterAll(async () => {
  await t?.stop();
});

test("the developer cannot read the variable itself", async () => {
  const res = await t.api(`/projects/${project.id}/variables/SECRET`, { token: developer.token });
  expect(res.status).toBe(403);
});

test("API: the 400 names the missing file with [MASKED] in place of the value", async () => {
  const res = await t.api(`/projects/${project.id}/pipeline`, {
    method: "POST",
    json: { ref: "main" },
    token: developer.token,
  });
  expect(res.status).toBe(400);
  const body = await res.text();
  expect(leaks(body)).toEqual([]);
  expect(body.split("cfg/[MASKED].yml")).toHaveLength(3); // one error per include
});

test("page: the Run pipeline form shows the error with [MASKED] in place of the value", async () => {
  const session = createWebSession(t.porthole.store.db, developer.id, {});
  const res = await fetch(`${t.url}/${project.path_with_namespace}/-/pipelines`, {
    method: "POST",
    headers: {
      Cookie: `_porthole_session=${session.cookieValue}`,
      Origin: new URL(t.url).origin,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ ref: "main", authenticity_token: session.csrfToken }),
    redirect: "manual",
  });
  const page = await res.text();
  expect(leaks(page)).toEqual([]);
  expect(page).toContain("cfg/[MASKED].yml");
});
