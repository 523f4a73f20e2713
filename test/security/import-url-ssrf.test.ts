// Issue 10 item 6: a non-admin's import_url may not reach loopback, private or link-local addresses, neither when
// it is set nor when the server fetches it, and every refusal reads the same (no port scanning by error message).
// Only loopback servers run here; the private addresses are refused before any connection.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWebSession } from "../../src/auth/web-sessions.ts";
import { makeRepo } from "../support/git-repo.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { json, userWithRole } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";

const REFUSED_FIELD = { message: { import_url: ["could not be imported"] } };
const REFUSED_FETCH = { message: { base: ["import_url could not be imported"] } };

let t: TestPorthole;
let eve: { id: number; token: string };
/** A loopback git server over git's dumb HTTP protocol, counting the requests it gets. */
let gitServer: ReturnType<typeof Bun.serve>;
let gitRequests = 0;
/** A loopback port nothing listens on. */
let closedPort: number;

function serveBareRepo(): ReturnType<typeof Bun.serve> {
  const repo = makeRepo({ ".gitlab-ci.yml": "hello:\n  script: [echo from-loopback]\n" });
  const bare = join(mkdtempSync(join(tmpdir(), "porthole-bare-")), "repo.git");
  Bun.spawnSync(["git", "clone", "-q", "--bare", repo.dir, bare]);
  Bun.spawnSync(["git", "--git-dir", bare, "update-server-info"]);
  return Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      gitRequests++;
      const path = new URL(req.url).pathname.replace(/^\/repo\.git/, "");
      const file = join(bare, path);
      if (path.includes("..") || !file.startsWith(bare)) return new Response("no", { status: 404 });
      try {
        if (!statSync(file).isFile()) return new Response("no", { status: 404 });
        return new Response(readFileSync(file));
      } catch {
        return new Response("no", { status: 404 });
      }
    },
  });
}

beforeAll(async () => {
  t = await startTestPorthole();
  eve = await userWithRole(t, "eve", 0);
  gitServer = serveBareRepo();
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  closedPort = probe.port!;
  probe.stop(true);
});
afterAll(async () => {
  gitServer?.stop(true);
  await t?.stop();
});

describe("a non-admin setting import_url", () => {
  test("every loopback, private and link-local target is refused with one message, and none is contacted", async () => {
    const open = gitServer.port;
    const targets = [
      `http://127.0.0.1:${open}/repo.git`,
      `http://127.0.0.1:${closedPort}/repo.git`,
      `http://localhost:${open}/repo.git`,
      `http://[::1]:${open}/repo.git`,
      `http://[::ffff:127.0.0.1]:${open}/repo.git`,
      `http://2130706433:${open}/repo.git`,
      `https://127.0.0.2:${open}/repo.git`,
      "http://10.0.0.1/x.git",
      "http://192.168.1.1/x.git",
      "http://169.254.169.254/latest/meta-data",
      "http://[fd00::1]/x.git",
      "http://0.0.0.0/x.git",
      `git://127.0.0.1:${open}/repo.git`,
      `ssh://git@127.0.0.1:${open}/repo.git`,
      "git@127.0.0.1:repo.git",
    ];
    const before = gitRequests;
    const answers = [];
    for (const [i, import_url] of targets.entries()) {
      const res = await t.api("/projects", { method: "POST", token: eve.token, json: { name: `p${i}`, import_url } });
      answers.push({ import_url, status: res.status, body: await res.json() });
    }
    expect(answers).toEqual(targets.map((import_url) => ({ import_url, status: 400, body: REFUSED_FIELD })));
    expect(gitRequests).toBe(before);
  });

  test("changing an existing project's import_url is checked the same way", async () => {
    const own = await json<{ id: number }>(
      t.api("/projects", {
        method: "POST",
        token: eve.token,
        json: { name: "mine", ci_config: "a:\n  script: [x]\n" },
      }),
    );
    const res = await t.api(`/projects/${own.id}`, {
      method: "PUT",
      token: eve.token,
      json: { import_url: `http://localhost:${gitServer.port}/repo.git` },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(REFUSED_FIELD);
  });

  test("the new-project page shows the same refusal next to the field", async () => {
    const session = createWebSession(t.porthole.store.db, eve.id, {});
    const res = await fetch(`${t.url}/projects`, {
      method: "POST",
      headers: { Cookie: `_porthole_session=${session.cookieValue}`, Origin: t.url },
      body: new URLSearchParams({
        authenticity_token: session.csrfToken,
        name: "by-page",
        visibility: "private",
        default_branch: "main",
        source: "git",
        import_url: `http://127.0.0.1:${gitServer.port}/repo.git`,
      }),
      redirect: "manual",
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("could not be imported");
  });
});

describe("the server fetching an import_url for a non-admin", () => {
  let project: { id: number };

  beforeAll(async () => {
    // An admin may point a project at a loopback server, as before.
    project = await json(
      t.api("/projects", {
        method: "POST",
        json: { name: "internal", import_url: `http://127.0.0.1:${gitServer.port}/repo.git` },
      }),
    );
    await json(
      t.api(`/projects/${project.id}/members`, { method: "POST", json: { user_id: eve.id, access_level: 40 } }),
    );
  });

  test("an admin's pipeline fetches from the loopback server", async () => {
    const before = gitRequests;
    const res = await t.api(`/projects/${project.id}/pipeline?ref=main`, { method: "POST" });
    expect(res.status).toBe(201);
    expect(gitRequests).toBeGreaterThan(before);
    // Its job checks out from the same server: it must be done before the next test counts requests.
    const pipeline = (await res.json()) as { id: number };
    const done = await waitFor("the admin's pipeline to finish", async () => {
      const p = await json<{ status: string }>(t.api(`/projects/${project.id}/pipelines/${pipeline.id}`));
      return ["success", "failed"].includes(p.status) && p.status;
    });
    expect(done).toBe("success");
  });

  test("a Maintainer's pipeline and CI lint are refused without contacting it, with the one message", async () => {
    const before = gitRequests;
    const res = await t.api(`/projects/${project.id}/pipeline?ref=main`, { method: "POST", token: eve.token });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(REFUSED_FETCH);
    const lint = await t.api(`/projects/${project.id}/ci/lint`, {
      method: "POST",
      token: eve.token,
      json: { content: "include:\n  - local: .gitlab-ci.yml\n" },
    });
    expect(lint.status).toBe(200);
    expect(gitRequests).toBe(before);
  });
});
