// Credentials that once worked but no longer do are refused before the terminal's WebSocket upgrade (no 101).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { personalAccessTokens } from "../../src/store/schema.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { upgradeStatus } from "../support/terminal-client.ts";
import { createProject, json, type RunningJob, runJob, userWithRole } from "../support/terminal-jobs.ts";
import { webSession } from "../support/web-session.ts";

let t: TestPorthole;
let job: RunningJob;
let maintainer: { id: number; token: string };

beforeAll(async () => {
  t = await startTestPorthole();
  const project = await createProject(t, "refusing");
  maintainer = await userWithRole(t, "keeper", project.id, 40);
  job = await runJob(t, project);
});
afterAll(async () => {
  await t?.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
  await t?.stop();
});

const ws = () => `${job.jobPath}/terminal.ws`;
const newToken = async (userId: number, scopes: string[]) =>
  await json<{ id: number; token: string }>(
    t.api(`/users/${userId}/personal_access_tokens`, { method: "POST", json: { name: "term", scopes } }),
  );

test("the maintainer's own api token opens the terminal (the control for every refusal below)", async () => {
  expect(await upgradeStatus(t.url, ws(), { "PRIVATE-TOKEN": (await newToken(maintainer.id, ["api"])).token })).toBe(
    101,
  );
});

test("a revoked token: 401", async () => {
  const { id, token } = await newToken(maintainer.id, ["api"]);
  expect((await t.api(`/personal_access_tokens/${id}`, { method: "DELETE" })).status).toBe(204);
  expect(await upgradeStatus(t.url, ws(), { "PRIVATE-TOKEN": token })).toBe(401);
});

test("an expired token: 401", async () => {
  const { id, token } = await newToken(maintainer.id, ["api"]);
  t.porthole.store.db
    .update(personalAccessTokens)
    .set({ expiresAt: "2020-01-01" })
    .where(eq(personalAccessTokens.id, id))
    .run();
  expect(await upgradeStatus(t.url, ws(), { Authorization: `Bearer ${token}` })).toBe(401);
});

test("a read_api token: 403, a terminal is write access (GitLab's terminal needs the right to update the job)", async () => {
  const { token } = await newToken(maintainer.id, ["read_api"]);
  expect(await upgradeStatus(t.url, ws(), { "PRIVATE-TOKEN": token })).toBe(403);
});

test("a session cookie after sign-out: 401", async () => {
  const { cookie, origin, submit } = webSession(t, maintainer.id);
  expect(await upgradeStatus(t.url, ws(), { Cookie: cookie, Origin: origin })).toBe(101);
  expect((await submit("/users/sign_out")).status).toBe(303);
  expect(await upgradeStatus(t.url, ws(), { Cookie: cookie, Origin: origin })).toBe(401);
});

test("a blocked user, by token or by cookie: 401", async () => {
  const project = { id: job.projectId, path: job.projectPath };
  const other = await userWithRole(t, "blockee", project.id, 40);
  const { cookieValue } = createWebSession(t.porthole.store.db, other.id, {});
  expect(await upgradeStatus(t.url, ws(), { "PRIVATE-TOKEN": other.token })).toBe(101);
  expect((await t.api(`/users/${other.id}/block`, { method: "POST" })).status).toBe(201);
  expect(await upgradeStatus(t.url, ws(), { "PRIVATE-TOKEN": other.token })).toBe(401);
  expect(
    await upgradeStatus(t.url, ws(), { Cookie: `_porthole_session=${cookieValue}`, Origin: new URL(t.url).origin }),
  ).toBe(401);
});
