// Issue 14: `include:remote` is fetched by the server, so it must not reach the server's own network: loopback,
// private and link-local addresses are refused (for every user, admins included) before any connection, at lint and
// at pipeline creation; http:// is refused unless `limits.include_remote_http` allows it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { makeRepo } from "../support/git-repo.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

const REFUSED =
  "Remote file could not be fetched because Requests to the local network are not allowed! (line 2, column 5)";

let t: TestPorthole;
let target: ReturnType<typeof Bun.serve>;
let hits = 0;
let project: { id: number };
const repo = makeRepo({ ".gitlab-ci.yml": "x: {script: x}\n" });

beforeAll(async () => {
  target = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () => {
      hits++;
      return new Response("stolen: {script: echo internal}\n");
    },
  });
  t = await startTestPorthole();
  const res = await t.api("/projects", {
    method: "POST",
    json: { name: `ssrf${Math.random().toString(36).slice(2, 8)}`, import_url: repo.dir },
  });
  project = (await res.json()) as { id: number };
});
afterAll(async () => {
  target?.stop(true);
  await t?.stop();
  rmSync(repo.dir, { recursive: true, force: true });
});

const content = (url: string) => `include:\n  - remote: ${url}\nx: {script: x}\n`;

async function lintErrors(url: string): Promise<string[]> {
  const res = await t.api(`/projects/${project.id}/ci/lint`, { method: "POST", json: { content: content(url) } });
  return ((await res.json()) as { errors: string[] }).errors;
}

async function createErrors(url: string): Promise<string[]> {
  repo.commit({ ".gitlab-ci.yml": content(url) });
  const res = await t.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" } });
  expect(res.status).toBe(400);
  return ((await res.json()) as { message: { base: string[] } }).message.base;
}

test("loopback, private and link-local targets are refused at lint and at creation, and never contacted", async () => {
  const port = target.port;
  for (const url of [
    `https://127.0.0.1:${port}/ci.yml`,
    `https://localhost:${port}/ci.yml`,
    `https://[::1]:${port}/ci.yml`,
    `https://[::ffff:127.0.0.1]:${port}/ci.yml`,
    `https://2130706433:${port}/ci.yml`,
    "https://10.0.0.1/ci.yml",
    "https://172.16.0.1/ci.yml",
    "https://192.168.1.1/ci.yml",
    "https://169.254.169.254/latest/ci.yml",
    "https://[fd00::1]/ci.yml",
    "https://0.0.0.0/ci.yml",
  ]) {
    expect([url, await lintErrors(url)]).toEqual([url, [REFUSED]]);
    expect([url, await createErrors(url)]).toEqual([url, [REFUSED]]);
  }
  expect(hits).toBe(0);
});

test("http:// is refused unless the admin setting allows it", async () => {
  const expected = ["Remote file could not be fetched because Only allowed schemes are https! (line 2, column 5)"];
  expect(await lintErrors(`http://127.0.0.1:${target.port}/ci.yml`)).toEqual(expected);
  expect(await createErrors("http://example.com/ci.yml")).toEqual(expected);
  expect(hits).toBe(0);
});
