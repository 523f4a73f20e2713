import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { fieldError, makeUiHarness, PASSWORD, type UiHarness } from "../ui-harness.testing.ts";

let h: UiHarness;
beforeEach(async () => {
  h = await makeUiHarness();
});
afterEach(() => h.close());

const signIn = (login: string, password: string, extra: Record<string, string> = {}) =>
  h.post("/users/sign_in", { "user[login]": login, "user[password]": password, ...extra });

describe("sign in and out", () => {
  test("the right password starts a session: HttpOnly, SameSite=Lax cookie, then the dashboard", async () => {
    await h.visitor("alice");
    const res = await signIn("alice", PASSWORD, { redirect_to: "/alice" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/alice");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("_porthole_session="))!;
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).not.toContain("Secure");
    const home = await h.app.request("http://ci.test/", { headers: { cookie: cookie.split(";")[0]! } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("alice");
  });

  test("a wrong password shows the error under the password field and sets no session", async () => {
    await h.visitor("alice");
    const res = await signIn("alice", "not-the-password");
    expect(res.status).toBe(401);
    expect(fieldError(await res.text(), "user[password]")).toBe("Invalid login or password.");
    expect(res.headers.getSetCookie().some((c) => c.startsWith("_porthole_session="))).toBe(false);
  });

  test("after five failures the login waits, even with the right password", async () => {
    await h.visitor("alice");
    for (let i = 0; i < 5; i++) await signIn("alice", "wrong");
    const res = await signIn("alice", PASSWORD);
    expect(res.status).toBe(429);
    expect(fieldError(await res.text(), "user[password]")).toMatch(/Too many failed attempts/);
  });

  test("redirects after sign-in stay on this site", async () => {
    await h.visitor("alice");
    for (const target of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
      expect((await signIn("alice", PASSWORD, { redirect_to: target })).headers.get("location")).toBe("/");
    }
  });

  test("the sign-in form needs its CSRF token (login CSRF)", async () => {
    await h.visitor("alice");
    const res = await h.post(
      "/users/sign_in",
      { "user[login]": "alice", "user[password]": PASSWORD },
      h.anonymous,
      "forged",
    );
    expect(res.status).toBe(422);
  });

  test("sign out ends the session", async () => {
    const alice = await h.visitor("alice");
    expect((await h.post("/users/sign_out", {}, alice)).headers.get("location")).toBe("/users/sign_in");
    const after = await h.get("/", alice);
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toBe("/users/sign_in?redirect_to=%2F");
  });
});
