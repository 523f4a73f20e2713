// Issue 16, item 3: a user changes their own password on the profile page (proving the current one); their other
// browser sessions and the terminals open in them end, this one stays; "sign out everywhere" ends them all.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { TEST_PASSWORD } from "../../src/auth/users.testing.ts";
import { authenticatePassword } from "../../src/auth/users.ts";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { TerminalClient, terminalWsUrl } from "../support/terminal-client.ts";
import { createProject, type RunningJob, runJob, userWithRole } from "../support/terminal-jobs.ts";

setDefaultTimeout(60_000);

const OLD = TEST_PASSWORD; // userWithRole's password
const NEW = "a-new-password-2026";

let t: TestPorthole;
let job: RunningJob;
beforeAll(async () => {
  t = await startTestPorthole();
  job = await runJob(t, await createProject(t, "passwords"));
});
afterAll(async () => {
  if (job) await t.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
  await t?.stop();
});

type Session = { cookie: string; csrf: string };
function session(userId: number, userAgent: string): Session {
  const s = createWebSession(t.porthole.store.db, userId, { userAgent, ip: "127.0.0.1" });
  return { cookie: `_porthole_session=${s.cookieValue}`, csrf: s.csrfToken };
}
const get = (s: Session, path: string) =>
  fetch(`${t.url}${path}`, { headers: { Cookie: s.cookie }, redirect: "manual" });
function post(s: Session, path: string, form: Record<string, string>, csrf = s.csrf) {
  return fetch(`${t.url}${path}`, {
    method: "POST",
    headers: { Cookie: s.cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ authenticity_token: csrf, ...form }).toString(),
    redirect: "manual",
  });
}
const change = (current: string, password: string, confirmation = password) => ({
  current_password: current,
  password,
  password_confirmation: confirmation,
});
const PASSWORD_URL = "/-/user_settings/profile/password";

describe("the profile page", () => {
  test("shows the user's tokens and sessions, and the header links to it", async () => {
    const user = await userWithRole(t, "profiled", job.projectId);
    const here = session(user.id, "Browser-Here/1.0");
    session(user.id, "Browser-There/2.0");
    const res = await get(here, "/-/user_settings/profile");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("@profiled");
    expect(html).toContain("Browser-Here/1.0");
    expect(html).toContain("Browser-There/2.0");
    expect(html).toContain("this session");
    expect(html).toMatch(/1 active personal access token: /);
    expect(html).toContain('href="/-/user_settings/profile"');
  });

  test("a wrong current password, a short or unconfirmed new one, or a missing CSRF token change nothing", async () => {
    const user = await userWithRole(t, "careful", job.projectId);
    const here = session(user.id, "Here");
    const other = session(user.id, "Other");
    const wrong = await post(here, PASSWORD_URL, change("not-my-password", NEW));
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain("is not your current password");
    expect((await post(here, PASSWORD_URL, change(OLD, "short"))).status).toBe(422);
    const mismatch = await post(here, PASSWORD_URL, change(OLD, NEW, `${NEW}x`));
    expect(mismatch.status).toBe(422);
    expect(await mismatch.text()).toContain("does not match the new password");
    const forged = await post(here, PASSWORD_URL, change(OLD, NEW), "forged-token");
    expect(forged.status).toBe(422); // GitLab's InvalidAuthenticityToken
    expect(await forged.text()).toContain("authenticity token");
    expect(await authenticatePassword(t.porthole.store.db, "careful", OLD)).not.toBeNull();
    expect((await get(other, "/-/user_settings/profile")).status).toBe(200);
  });

  test("changing the password keeps this session, ends the others and their terminals; tokens keep working", async () => {
    const user = await userWithRole(t, "changer", job.projectId, 40);
    const here = session(user.id, "Here");
    const other = session(user.id, "Other");
    const terminal = new TerminalClient(terminalWsUrl(t.url, job.jobPath, { mode: "ro" }), {
      cookie: other.cookie,
      origin: new URL(t.url).origin,
    });
    await terminal.opened;
    await terminal.control("hello");

    const res = await post(here, PASSWORD_URL, change(OLD, NEW));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/-/user_settings/profile");
    expect((await get(here, "/-/user_settings/profile")).status).toBe(200);
    expect((await get(other, "/-/user_settings/profile")).status).toBe(302);
    const closed = await Promise.race([terminal.closed, Bun.sleep(10_000).then(() => null)]);
    expect(closed).toEqual({ code: 4003, reason: "access_revoked" });
    expect(await authenticatePassword(t.porthole.store.db, "changer", OLD)).toBeNull();
    expect(await authenticatePassword(t.porthole.store.db, "changer", NEW)).not.toBeNull();
    expect((await t.api("/user", { token: user.token })).status).toBe(200);
  });

  test("sign out everywhere ends every session, this one too", async () => {
    const user = await userWithRole(t, "leaver", job.projectId);
    const here = session(user.id, "Here");
    const other = session(user.id, "Other");
    const res = await post(here, "/-/user_settings/profile/sign_out_everywhere", {});
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/users/sign_in");
    expect((await get(here, "/-/user_settings/profile")).status).toBe(302);
    expect((await get(other, "/-/user_settings/profile")).status).toBe(302);
  });
});
