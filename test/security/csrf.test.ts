// Cookie-authenticated state changes need the session's CSRF token and porthole's own Origin, on the API and on forms.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { users } from "../../src/store/schema.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

let t: TestPorthole;
let cookie: string;
let csrf: string;
let origin: string;
const EVIL = "http://evil.example";

beforeAll(async () => {
  t = await startTestPorthole({ runner: { enabled: false } });
  const root = t.porthole.store.db.select().from(users).where(eq(users.username, "root")).get()!;
  const session = createWebSession(t.porthole.store.db, root.id, {});
  cookie = `_porthole_session=${session.cookieValue}`;
  csrf = session.csrfToken;
  origin = new URL(t.url).origin;
});
afterAll(async () => {
  await t?.stop();
});

let n = 0;
const projectCount = async () => ((await (await t.api("/projects")).json()) as unknown[]).length;

describe("API: POST /api/v4/projects with the session cookie", () => {
  const post = (headers: Record<string, string>) =>
    fetch(`${t.url}/api/v4/projects`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/json", ...headers },
      body: JSON.stringify({ name: `csrf-api-${++n}` }),
    });

  test("without the CSRF token: 401, nothing created", async () => {
    const before = await projectCount();
    expect((await post({ Origin: origin })).status).toBe(401);
    expect((await post({})).status).toBe(401);
    expect(await projectCount()).toBe(before);
  });

  test("with the token but from a foreign Origin: 403, nothing created", async () => {
    const before = await projectCount();
    const res = await post({ "X-CSRF-Token": csrf, Origin: EVIL });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: "403 Forbidden - cross-origin request" });
    expect(await projectCount()).toBe(before);
  });

  test("with the token and porthole's Origin: 201", async () => {
    expect((await post({ "X-CSRF-Token": csrf, Origin: origin })).status).toBe(201);
  });
});

describe("page form: POST /projects with the session cookie", () => {
  const post = (fields: Record<string, string>, headers: Record<string, string>) =>
    fetch(`${t.url}/projects`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams({
        name: `csrf-page-${++n}`,
        visibility: "private",
        source: "yaml",
        ci_config: "j:\n  script: [echo ok]\n",
        ...fields,
      }),
      redirect: "manual",
    });

  test("without the authenticity token: 422, nothing created", async () => {
    const before = await projectCount();
    expect((await post({}, { Origin: origin })).status).toBe(422);
    expect((await post({ authenticity_token: "forged" }, {})).status).toBe(422);
    expect(await projectCount()).toBe(before);
  });

  test("with the token but from a foreign Origin: 403, nothing created", async () => {
    const before = await projectCount();
    expect((await post({ authenticity_token: csrf }, { Origin: EVIL })).status).toBe(403);
    expect((await post({ authenticity_token: csrf }, { Origin: "null" })).status).toBe(403);
    expect(await projectCount()).toBe(before);
  });

  test("with the token and porthole's Origin: created (303 to the project)", async () => {
    const res = await post({ authenticity_token: csrf }, { Origin: origin });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/^\/root\/csrf-page-\d+$/);
  });

  test("a token-authenticated API call needs neither (no cookie, so no CSRF risk)", async () => {
    expect(
      (await t.api("/projects", { method: "POST", json: { name: `csrf-token-${++n}` }, headers: { Origin: EVIL } }))
        .status,
    ).toBe(201);
  });
});
