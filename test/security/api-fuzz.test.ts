// Fuzzes every registered API route and page (as an admin and anonymously) with mutated ids, parameters and bodies: no
// answer may be a 5xx, none may hang, and memory stays bounded. Seeded, so a failure names what to replay.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createPersonalAccessToken } from "../../src/auth/tokens.ts";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { appRoutes } from "../support/app-routes.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { upgradeStatus } from "../support/terminal-client.ts";

const SEED = Number(process.env.PORTHOLE_FUZZ_SEED ?? 20261201);
/** Requests per route: as an admin, and anonymously (mostly 401s, but reached before authentication too). */
const PER_ROUTE = { admin: Number(process.env.PORTHOLE_FUZZ_N ?? 20), anonymous: 5 };
const REQUEST_TIMEOUT_MS = 5000;
/**
 * How much the process may grow while one route list is fuzzed. Growth, not the total: the suite runs every file in
 * one process, whose RSS when this file starts depends on what ran before (640 MB once, in CI). Alone it grows by about 40 MB.
 */
const RSS_GROWTH_LIMIT_BYTES = 250 * 1024 * 1024;

let t: TestPorthole;
let ids: Record<string, string[]>;
let triggerToken = "";

/** mulberry32: a small seeded PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const ODD_IDS = [
  "0",
  "-1",
  "%",
  "%zz",
  "%E0%A4%A",
  "99999999999999999999999",
  "9007199254740993",
  "1e3",
  "0x10",
  "abc",
  "%00",
  "%F0%9F%92%A5",
];
const ODD_IDS_TEXT = [...ODD_IDS, "..%2F..%2Fetc%2Fpasswd", "a%2Fb%2Fc", "%20", "9".repeat(400), "%E2%80%AE", "null"];
const KEYS = [
  "name",
  "path",
  "ci_config",
  "ref",
  "variables",
  "key",
  "value",
  "username",
  "email",
  "password",
  "scopes",
  "expires_at",
  "access_level",
  "user_id",
  "visibility",
  "description",
  "token",
  "tag_list",
  "admin",
  "state",
  "masked",
  "protected",
  "variable_type",
  "environment_scope",
  "import_url",
  "default_branch",
  "page",
  "per_page",
  "content",
  "include_merged_yaml",
  "push_access_level",
  "merge_access_level",
  "allow_force_push",
  "runner_type",
  "run_untagged",
  "locked",
  "paused",
  "skip_confirmation",
  "order_by",
  "sort",
  "scope",
  "status",
  "offset",
];
const VALUES: (() => unknown)[] = [
  () => null,
  () => true,
  () => -1,
  () => 0,
  () => 1e308,
  () => -(2 ** 53) - 2,
  () => 3.5,
  () => "",
  () => " ",
  () => "💥\u0000\u202e",
  () => "x".repeat(Math.floor(random() * 70_000)),
  () => ["a", 1, null],
  () => [],
  () => ({ nested: { deeper: [1, { key: "v" }] } }),
  () => ({}),
  () => "main",
  () => "stages: [\n  - a\n",
  () => "job:\n  script: [echo hi]\n",
  () => [{ key: "K", value: "v" }, { key: 5 }],
  () => "2000-01-01",
  () => "9999-99-99",
  () => "../../etc/passwd",
  () => "<script>alert(1)</script>",
  () => String(Math.floor(random() * 1000)),
];
const RAW_BODIES = [
  "{",
  "[]",
  '"just a string"',
  "null",
  "12",
  '{"a":',
  "\u0000\u0001",
  "a=1&b[]=2&c[d]=3",
  "{}".repeat(5000),
];

function randomObject(): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const n = Math.floor(random() * 6);
  for (let i = 0; i < n; i++) o[pick(KEYS)] = pick(VALUES)();
  return o;
}

/** The route pattern with each `:param{regex}` replaced by a real id, another object's id, or an odd value. */
function fillPath(pattern: string): string {
  return pattern.replace(/:([a-z_]+)(\{[^}]*\})?/g, (_, name: string) => {
    const real = ids[name] ?? ids.id!;
    const r = random();
    if (r < 0.45) return pick(real);
    if (r < 0.6) return pick(Object.values(ids).flat());
    return pick(name === "key" || name === "name" || name === "session_id" ? ODD_IDS_TEXT : ODD_IDS);
  });
}

function randomQuery(): string {
  if (random() < 0.4) return "";
  if (random() < 0.1) return pick(["?%", "?a=%zz", "?page=%E0%A4%A", "?per_page=1&per_page=2", "?private_token=%"]);
  const params = new URLSearchParams();
  const n = 1 + Math.floor(random() * 4);
  for (let i = 0; i < n; i++) {
    const v = pick(VALUES)();
    params.append(
      pick(KEYS) + (random() < 0.2 ? "[]" : ""),
      typeof v === "string" ? v.slice(0, 500) : JSON.stringify(v),
    );
  }
  return `?${params}`;
}

/** A valid body for the routes that take one (by the pattern's ending), which the fuzzer then mutates. */
function templateFor(pattern: string): Record<string, unknown> {
  const templates: [RegExp, () => Record<string, unknown>][] = [
    [
      /\/projects$/,
      () => ({
        name: `p${random().toString(36).slice(2, 8)}`,
        ci_config: "a:\n  script: [x]\n",
        visibility: "private",
      }),
    ],
    [
      /\/projects\/:id$/,
      () => ({ description: "d", ci_config: "a:\n  script: [x]\n", visibility: "internal", default_branch: "main" }),
    ],
    [
      /\/users$/,
      () => ({
        username: `u${random().toString(36).slice(2, 8)}`,
        email: `${random()}@e.com`,
        password: "long-password-1",
      }),
    ],
    [/\/users\/:user_id[^/]*$/, () => ({ email: `${random()}@e.com`, name: "N", admin: false })],
    [/personal_access_tokens$/, () => ({ name: "t", scopes: ["api"], expires_at: "2099-01-01" })],
    [/\/members$/, () => ({ user_id: Number(ids.user_id![0]), access_level: 30 })],
    [/\/members\/:user_id[^/]*$/, () => ({ access_level: 40 })],
    [
      /\/variables$/,
      () => ({
        key: `K${Math.floor(random() * 1e6)}`,
        value: "v",
        masked: false,
        protected: false,
        variable_type: "env_var",
      }),
    ],
    [/\/variables\/:key$/, () => ({ value: "v2", masked: true })],
    [/\/pipeline$/, () => ({ ref: "main", variables: [{ key: "A", value: "b" }] })],
    [/\/ci\/lint$/, () => ({ content: "a:\n  script: [x]\n", include_merged_yaml: true })],
    [/\/triggers$/, () => ({ description: "d" })],
    [/\/trigger\/pipeline$/, () => ({ token: triggerToken, ref: "main", variables: { A: "b" } })],
    [
      /\/user\/runners$/,
      () => ({ runner_type: "instance_type", description: "r", tag_list: ["a"], run_untagged: true }),
    ],
    [
      /\/protected_branches$/,
      () => ({ name: `rel-${random().toString(36).slice(2, 6)}`, push_access_level: 40, merge_access_level: 40 }),
    ],
  ];
  return templates.find(([re]) => re.test(pattern))?.[1]() ?? randomObject();
}

/** The template with a field or two replaced by an odd value, removed, or joined by unknown keys. */
function mutated(template: Record<string, unknown>): Record<string, unknown> {
  const out = { ...template };
  const keys = Object.keys(out);
  const n = 1 + Math.floor(random() * 2);
  for (let i = 0; i < n; i++) {
    const r = random();
    if (r < 0.6 && keys.length) out[pick(keys)] = pick(VALUES)();
    else if (r < 0.8 && keys.length) delete out[pick(keys)];
    else out[pick(KEYS)] = pick(VALUES)();
  }
  return out;
}

function randomBody(pattern: string): { body?: string; type?: string } {
  const r = random();
  if (r < 0.55) return { body: JSON.stringify(mutated(templateFor(pattern))), type: "application/json" };
  if (r < 0.15) return {};
  if (r < 0.3)
    return {
      body: pick(RAW_BODIES),
      type: pick(["application/json", "application/x-www-form-urlencoded", "text/plain"]),
    };
  if (r < 0.4) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(randomObject())) form.append(k, String(v));
    return { body: form.toString(), type: "application/x-www-form-urlencoded" };
  }
  return { body: JSON.stringify(random() < 0.1 ? [randomObject()] : randomObject()), type: "application/json" };
}

beforeAll(async () => {
  t = await startTestPorthole({ runner: { enabled: false } });
  const json = async <T>(res: Promise<Response>) => (await (await res).json()) as T;
  const project = await json<{ id: number; path_with_namespace: string }>(
    t.api("/projects", { method: "POST", json: { name: "fuzzed", ci_config: "build:\n  script: [echo hi]\n" } }),
  );
  const pipeline = await json<{ id: number }>(t.api(`/projects/${project.id}/pipeline?ref=main`, { method: "POST" }));
  const jobs = await json<{ id: number }[]>(t.api(`/projects/${project.id}/pipelines/${pipeline.id}/jobs`));
  const user = await json<{ id: number }>(
    t.api("/users", {
      method: "POST",
      json: { username: "fuzzuser", email: "f@example.com", password: "fuzz-password-1" },
    }),
  );
  await t.api(`/projects/${project.id}/variables`, { method: "POST", json: { key: "FUZZ_VAR", value: "v" } });
  const trigger = await json<{ id: number; token: string }>(
    t.api(`/projects/${project.id}/triggers`, { method: "POST", json: { description: "f" } }),
  );
  triggerToken = trigger.token;
  ids = {
    id: [String(project.id), encodeURIComponent(project.path_with_namespace)],
    pipeline_id: [String(pipeline.id)],
    job_id: jobs.map((j) => String(j.id)),
    user_id: [String(user.id), "1"],
    token_id: ["1", "2"],
    key: ["FUZZ_VAR"],
    trigger_id: [String(trigger.id)],
    runner_id: ["1"],
    session_id: ["1"],
    name: ["main", "release%2F*"],
    namespace: ["root"],
    project: ["fuzzed"],
    ref: ["main", "feature%2Fx"],
  };
});
afterAll(async () => {
  await t?.stop();
});

/** The app's routes as [method, pattern]: the API and monitoring ones, or (`pages`) every page. */
function routes(pages: boolean): [string, string][] {
  const isApi = (path: string) => path.startsWith("/api/v4") || /^\/-\/(health|liveness|readiness|metrics)$/.test(path);
  const seen = new Set<string>();
  return appRoutes(t)
    .filter((r) => !r.path.startsWith("/-/assets") && isApi(r.path) !== pages)
    .map((r) => [r.method, r.path] as [string, string])
    .filter(([m, path]) => !seen.has(`${m} ${path}`) && seen.add(`${m} ${path}`));
}

/** One caller: the headers it sends, and the pages' CSRF token it adds to bodies. */
interface Caller {
  label: string;
  count: number;
  headers(): Record<string, string>;
  csrf?: string;
}

/** Sends the mutated requests of every route in `list` for each caller; answers the failures and the RSS growth. */
async function fuzz(list: [string, string][], callers: (pattern: string) => Caller[]) {
  const failures: string[] = [];
  let sent = 0;
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  for (const [method, pattern] of list) {
    for (const caller of callers(pattern)) {
      for (let i = 0; i < caller.count; i++) {
        const path = fillPath(pattern) + randomQuery();
        let { body, type } = method === "GET" || method === "HEAD" ? {} : randomBody(pattern);
        const headers = caller.headers();
        if (caller.csrf && body !== undefined && random() < 0.9) {
          headers["X-CSRF-Token"] = caller.csrf;
          if (type === "application/x-www-form-urlencoded") body = `authenticity_token=${caller.csrf}&${body}`;
        }
        if (type) headers["Content-Type"] = type;
        const what = `${method} ${path.slice(0, 300)} ${caller.label} body=${(body ?? "").slice(0, 200)}`;
        try {
          const res = await fetch(`${t.url}${path}`, {
            method,
            headers,
            body,
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
            redirect: "manual",
          });
          await res.body?.cancel();
          if (res.status >= 500) failures.push(`${res.status} ${what}`);
        } catch (error) {
          failures.push(`${(error as Error).name === "TimeoutError" ? "hang" : (error as Error).message} ${what}`);
        }
        sent++;
      }
    }
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const mb = (n: number) => `${Math.round(n / 1e6)} MB`;
  console.log(`${sent} requests over ${list.length} routes, RSS ${mb(baseline)} → peak ${mb(peak)}, seed ${SEED}`);
  return { failures, growth: peak - baseline };
}

describe("fuzzing", () => {
  test(`every API route answers mutated requests without a 5xx or a hang (seed ${SEED})`, async () => {
    const list = routes(false);
    expect(list.length).toBeGreaterThan(60);
    const { failures, growth } = await fuzz(list, () => {
      // A fresh admin token per route: a route may revoke the one it is called with.
      const token = createPersonalAccessToken(t.porthole.store.db, { userId: 1, name: "fuzz", scopes: ["api"] }).token;
      return [
        { label: "admin", count: PER_ROUTE.admin, headers: () => ({ "PRIVATE-TOKEN": token }) },
        { label: "anonymous", count: PER_ROUTE.anonymous, headers: () => ({}) },
      ];
    });
    expect(failures).toEqual([]);
    expect(growth).toBeLessThan(RSS_GROWTH_LIMIT_BYTES);
  }, 240_000);

  test(`every page route answers mutated requests without a 5xx or a hang (seed ${SEED})`, async () => {
    const list = routes(true);
    expect(list.length).toBeGreaterThan(30);
    const { failures, growth } = await fuzz(list, () => {
      // A fresh session per route: signing out ends the one it is called with.
      const session = createWebSession(t.porthole.store.db, 1, {});
      const cookie = `_porthole_session=${session.cookieValue}`;
      return [
        { label: "admin", count: PER_ROUTE.admin, headers: () => ({ Cookie: cookie }), csrf: session.csrfToken },
        { label: "anonymous", count: PER_ROUTE.anonymous, headers: () => ({}) },
      ];
    });
    expect(failures).toEqual([]);
    expect(growth).toBeLessThan(RSS_GROWTH_LIMIT_BYTES);
  }, 240_000);

  test("malformed percent-encoding in a path segment is never a 5xx: pages, the API and the terminal socket", async () => {
    const token = createPersonalAccessToken(t.porthole.store.db, { userId: 1, name: "fuzz", scopes: ["api"] }).token;
    const headers = { "PRIVATE-TOKEN": token };
    const project = ids.id![0]!;
    const job = ids.job_id![0]!;
    /** `ok`: a page or API answer below 500; a socket refused with a 4xx (not upgraded, not failed). */
    const answers: { path: string; status: number; ok: boolean }[] = [];
    for (const path of [
      "/root/fuzzed/badges/%zz/pipeline.svg",
      "/root/fuzzed/badges/%E0%A4%A/pipeline.svg",
      "/%zz/fuzzed/-/pipelines",
      `/root/%/-/jobs/${job}`,
      "/api/v4/projects/%zz",
      `/api/v4/projects/${project}/variables/%E0%A4%A`,
      `/api/v4/projects/${project}/protected_branches/%`,
    ]) {
      const status = (await fetch(`${t.url}${path}`, { headers, redirect: "manual" })).status;
      answers.push({ path, status, ok: status < 500 });
    }
    for (const [namespace, name] of [
      ["%zz", "fuzzed"],
      ["root", "%E0%A4%A"],
      ["%", "%"],
      ["root%2F..", "fuzzed"],
      ["root", "fuzzed%00"],
    ]) {
      const path = `/${namespace}/${name}/-/jobs/${job}/terminal.ws`;
      const status = await upgradeStatus(t.url, path, headers);
      answers.push({ path, status, ok: status >= 400 && status < 500 });
    }
    expect(answers.filter((a) => !a.ok)).toEqual([]);
  });
});
