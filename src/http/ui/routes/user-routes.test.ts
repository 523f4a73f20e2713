import { afterEach, beforeEach, expect, test } from "bun:test";
import { createPersonalAccessToken } from "../../../auth/tokens.ts";
import { BASE, makeUiHarness, type UiHarness } from "../ui-harness.testing.ts";

let h: UiHarness;
beforeEach(async () => {
  h = await makeUiHarness();
});
afterEach(() => h.close());

const authHeader = (token: string) => ({ headers: { "PRIVATE-TOKEN": token } });

test("the API's user web_url is a page that answers 200 with the user's name and the projects the viewer can see", async () => {
  const alice = await h.visitor("alice");
  const bob = await h.visitor("bob");
  h.project(alice.user!, { name: "secret-one", visibility: "private" });
  h.project(alice.user!, { name: "open-one", visibility: "internal" });
  const { token } = createPersonalAccessToken(h.db, { userId: bob.user!.id, name: "t", scopes: ["read_api"] });
  const api = await h.app.request(`${BASE}/api/v4/users/${alice.user!.id}`, authHeader(token));
  const webUrl = ((await api.json()) as { web_url: string }).web_url;
  const path = new URL(webUrl).pathname;
  expect(path).toBe("/alice");
  const page = await h.get(path, bob);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain("@alice");
  expect(html).toContain("open-one");
  expect(html).not.toContain("secret-one");
  expect(await (await h.get(path, alice)).text()).toContain("secret-one");
});

test("an unknown user is a 404 and anonymous visitors are sent to sign in", async () => {
  const alice = await h.visitor("alice");
  expect((await h.get("/nobody-here", alice)).status).toBe(404);
  const anon = await h.get("/alice");
  expect(anon.status).toBe(302);
  expect(anon.headers.get("location")).toContain("/users/sign_in");
});

test("one-segment pages keep their routes: /projects/new is not a user profile", async () => {
  const alice = await h.visitor("alice");
  expect(await (await h.get("/projects/new", alice)).text()).toContain("New project");
});
