// Every registered API route and page × every kind of actor → the expected status, from tables kept as data.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { composeApp } from "../../src/http/compose.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { API_TABLE, type Call, VISIBILITY_TABLE } from "./matrix/api-table.ts";
import { type FormCall, PAGE_TABLE } from "./matrix/page-table.ts";
import { ACTORS, buildWorld, type Who, type World } from "./matrix/world.ts";

let t: TestPorthole;
let w: World;

beforeAll(async () => {
  t = await startTestPorthole({ runner: { enabled: false } });
  w = await buildWorld(t);
});
afterAll(async () => {
  await t?.stop();
});

/** The app's registered routes as `METHOD /path` (content-hashed asset names folded into one entry). */
function registeredRoutes(): string[] {
  const p = t.porthole;
  const deps = {
    store: p.store,
    pipelines: p.queue.service,
    traces: p.traces,
    artifacts: p.artifacts,
    events: p.queue.events,
    config: p.config,
    version: "matrix",
  };
  const app = composeApp(deps);
  const names = app.routes
    .filter((r) => r.method !== "ALL")
    .map((r) => `${r.method} ${r.path.replace(/^\/-\/assets\/.+$/, "/-/assets/*")}`);
  return [...new Set(names)].sort();
}

/** Sends one API call as `who`; answers the status (streams are cancelled once the headers are in). */
async function callApi(who: Who, call: Call): Promise<number> {
  const headers: Record<string, string> = {};
  const token = call.token ?? (who === "anonymous" ? undefined : w.who[who].token);
  if (token) headers["PRIVATE-TOKEN"] = token;
  if (call.body) headers["Content-Type"] = "application/json";
  const method = call.method;
  const res = await fetch(`${t.url}/api/v4${call.path}`, {
    method,
    headers,
    body: call.body ? JSON.stringify(call.body) : undefined,
  });
  await res.body?.cancel();
  return res.status;
}

/** Sends one page request as `who` with their session cookie and CSRF token (anonymous: a pre-session token). */
async function callPage(who: Who, method: string, call: FormCall): Promise<number> {
  const session =
    call.session ??
    (who === "anonymous"
      ? { cookie: "_porthole_csrf=matrix-anonymous-token", csrf: "matrix-anonymous-token" }
      : w.who[who]);
  const headers: Record<string, string> = { Cookie: session.cookie };
  let body: string | undefined;
  if (call.json) {
    headers["Content-Type"] = "application/json";
    headers["X-CSRF-Token"] = session.csrf;
    body = JSON.stringify(call.json);
  } else if (method === "POST") {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams({ authenticity_token: session.csrf, ...call.form }).toString();
  }
  const res = await fetch(`${t.url}${call.path}`, { method, headers, body, redirect: "manual" });
  await res.body?.cancel();
  return res.status;
}

describe("permission matrix", () => {
  test("the tables name exactly the registered routes", () => {
    const tabled = [...API_TABLE.map((r) => r.route), ...PAGE_TABLE.map((r) => r.route)].sort();
    const registered = registeredRoutes();
    expect({
      missingFromTable: registered.filter((r) => !tabled.includes(r)),
      goneFromApp: tabled.filter((r) => !registered.includes(r)),
    }).toEqual({ missingFromTable: [], goneFromApp: [] });
    expect(new Set(tabled).size).toBe(tabled.length);
  });

  test("API routes on a private project", async () => {
    const wrong: string[] = [];
    for (const row of API_TABLE) {
      const method = row.route.split(" ")[0]!;
      for (const who of ACTORS) {
        const call = await row.call(w, who);
        const status = await callApi(who, { ...call, method });
        if (status !== row.expect[who]) wrong.push(`${row.route} as ${who}: ${status}, expected ${row.expect[who]}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  test("page routes on a private project", async () => {
    const wrong: string[] = [];
    for (const row of PAGE_TABLE) {
      const method = row.route.split(" ")[0]!;
      for (const who of ACTORS) {
        const status = await callPage(who, method, await row.call(w, who));
        if (status !== row.expect[who]) wrong.push(`${row.route} as ${who}: ${status}, expected ${row.expect[who]}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  test("public and internal projects: reading opens up, writing does not", async () => {
    const wrong: string[] = [];
    for (const visibility of ["public", "internal"] as const) {
      const project = await w.freshProject(visibility);
      for (const row of VISIBILITY_TABLE.filter((r) => r.visibility === visibility)) {
        const method = row.route.split(" ")[0]!;
        for (const [who, expected] of Object.entries(row.expect) as [Who, number][]) {
          const status = await callApi(who, { ...(await row.call(w, project)), method });
          if (status !== expected) wrong.push(`${visibility} ${row.route} as ${who}: ${status}, expected ${expected}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);
});
