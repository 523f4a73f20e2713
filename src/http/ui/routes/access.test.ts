import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { ROLES } from "../../../auth/permissions.ts";
import { makeUiHarness, type UiHarness } from "../ui-harness.testing.ts";

let h: UiHarness;
beforeEach(async () => {
  h = await makeUiHarness();
});
afterEach(() => h.close());

describe("page security", () => {
  test("pages carry a CSP without inline scripts, no framing, nosniff and a referrer policy", async () => {
    for (const path of ["/users/sign_in", "/does/not-exist"]) {
      const res = await h.get(path);
      const csp = res.headers.get("content-security-policy")!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    }
  });

  test("the pages' markup has no inline script or style", async () => {
    const alice = await h.visitor("alice");
    const project = h.project(alice.user!);
    for (const path of ["/", "/projects/new", `/alice/${project.path}`, `/alice/${project.path}/-/settings/ci_cd`]) {
      const html = await (await h.get(path, alice)).text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/\sstyle=/);
      expect(html).not.toMatch(/\son[a-z]+=/);
    }
  });

  test("a state-changing form without the session's CSRF token is refused", async () => {
    const alice = await h.visitor("alice");
    expect((await h.post("/projects", { name: "x" }, alice, null)).status).toBe(422);
    expect((await h.post("/projects", { name: "x" }, alice, "another-sessions-token")).status).toBe(422);
  });

  test("anonymous visitors of a private project are sent to sign in; others get 404; Reporters may not act", async () => {
    const alice = await h.visitor("alice");
    const bob = await h.visitor("bob");
    const project = h.project(alice.user!);
    const page = `/alice/${project.path}/-/pipelines`;
    const anon = await h.get(page);
    expect(anon.status).toBe(302);
    expect(anon.headers.get("location")).toBe(`/users/sign_in?redirect_to=${encodeURIComponent(page)}`);
    expect((await h.get(page, bob)).status).toBe(404);
    h.member(project, bob.user!, ROLES.reporter);
    expect((await h.get(page, bob)).status).toBe(200);
    expect((await h.get(`${page}/new`, bob)).status).toBe(403);
    expect((await h.post(page, { ref: "main" }, bob)).status).toBe(403);
    expect((await h.get(`/alice/${project.path}/-/settings/ci_cd`, bob)).status).toBe(403);
    expect((await h.get("/admin", bob)).status).toBe(403);
  });

  test("a Developer runs pipelines (not on the protected main) and sees no Settings tab", async () => {
    const alice = await h.visitor("alice");
    const dev = await h.visitor("dev");
    const project = h.project(alice.user!);
    h.member(project, dev.user!, ROLES.developer);
    const refused = await h.post(`/alice/${project.path}/-/pipelines`, { ref: "main" }, dev);
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("You do not have sufficient permission to run a pipeline on &#39;main&#39;");
    const res = await h.post(`/alice/${project.path}/-/pipelines`, { ref: "feature" }, dev);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/\/alice\/demo\/-\/pipelines\/\d+$/);
    const html = await (await h.get(res.headers.get("location")!, dev)).text();
    expect(html).toContain("Pipeline #");
    expect(html).not.toContain("CI/CD settings");
  });
});
