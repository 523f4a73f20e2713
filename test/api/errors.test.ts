// The API's failure behaviour: unknown routes, malformed bodies, oversize bodies, internal errors; the app lives on.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { MAX_BODY_BYTES } from "../../src/http/api/index.ts";
import { createLogger } from "../../src/logger.ts";
import { type Harness, makeHarness } from "../support/api-harness.ts";

let h: Harness;
const logged: string[] = [];
beforeAll(async () => (h = await makeHarness({ logger: createLogger({ write: (line) => logged.push(line) }) })));
afterAll(() => h.close());

test("unknown routes answer GitLab's 404", async () => {
  const res = await h.request("/no/such/thing");
  expect([res.status, await res.json()]).toEqual([404, { error: "404 Not Found" }]);
});

test("malformed JSON and non-object JSON are 400 with a message, not a crash", async () => {
  const post = (body: string) =>
    h.app.request("http://ci.test/api/v4/projects", {
      method: "POST",
      headers: { "PRIVATE-TOKEN": h.root.token, "Content-Type": "application/json" },
      body,
    });
  expect(await (await post("{nope")).json()).toEqual({ error: "The request body is not valid JSON" });
  expect(await (await post("[1,2]")).json()).toEqual({ error: "The request body must be a JSON object" });
  expect((await post('{"name": 5, "__proto__": {"admin": true}}')).status).toBe(201);
  expect(({} as Record<string, unknown>).admin).toBeUndefined();
});

test("bodies over the limit are refused with 413", async () => {
  const big = JSON.stringify({ name: "big", ci_config: "x".repeat(MAX_BODY_BYTES) });
  const res = await h.request("/projects", { json: JSON.parse(big) });
  expect([res.status, await res.json()]).toEqual([413, { message: "413 Request Entity Too Large" }]);
});

test("multipart bodies work like forms", async () => {
  const form = new FormData();
  form.set("name", "from-multipart");
  form.set("description", "via curl -F");
  const res = await h.app.request("http://ci.test/api/v4/projects", {
    method: "POST",
    headers: { "PRIVATE-TOKEN": h.root.token },
    body: form,
  });
  expect(await res.json()).toMatchObject({ name: "from-multipart", description: "via curl -F" });
});

test("an unexpected failure is a 500 with GitLab's message, and the next request is served", async () => {
  const original = h.store.db.select;
  const p = h.project(h.root.user, { name: "boom" });
  (h.store.db as { select: unknown }).select = () => {
    throw new Error("disk on fire");
  };
  logged.length = 0;
  try {
    const res = await h.request(`/projects/${p.id}`);
    expect([res.status, await res.json()]).toEqual([500, { message: "500 Internal Server Error" }]);
  } finally {
    (h.store.db as { select: unknown }).select = original;
  }
  expect(logged).toHaveLength(1);
  expect(logged[0]).toContain(`level=error msg="request failed" method=GET path=/api/v4/projects/${p.id}`);
  expect(logged[0]).toContain('error="Error: disk on fire"');
  expect((await h.request(`/projects/${p.id}`)).status).toBe(200);
});
