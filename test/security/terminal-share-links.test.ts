// Read-only terminal share links under attack: tampered, expired, revoked, another job's, too low a role, no
// sign-in; and what a working link gives (watching, never typing or taking control), made and revoked by a
// Maintainer from the job page, audited.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { createShareLink } from "../../src/session/share-links.ts";
import { auditEvents } from "../../src/store/schema.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { TerminalClient, terminalWsUrl, upgradeStatus } from "../support/terminal-client.ts";
import { createProject, json, type RunningJob, runJob, userWithRole } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";
import { webSession } from "../support/web-session.ts";

type User = { id: number; token: string };

/** A link to `job` made straight in the store (the page's form is tested below), optionally already expired. */
function linkTo(t: TestPorthole, job: RunningJob, seconds = 3600, madeAt = new Date()): string {
  const root = t.porthole.store.repos.users.findByLogin("root")!;
  return createShareLink(
    t.porthole.store.db,
    { jobId: job.jobId, projectId: job.projectId, createdBy: root.id, seconds },
    madeAt,
  ).token;
}

const wsPath = (job: RunningJob, query: Record<string, string>) =>
  `${job.jobPath}/terminal.ws?${new URLSearchParams(query)}`;
const check = (t: TestPorthole, job: RunningJob, token: string | null, headers: Record<string, string>) =>
  fetch(`${t.url}${job.jobPath}/terminal/check${token ? `?share=${token}` : ""}`, { headers });

describe("share links, anonymous access off (the default)", () => {
  let t: TestPorthole;
  let job: RunningJob;
  let other: RunningJob;
  let reporter: User;
  let guest: User;
  let outsider: User;
  beforeAll(async () => {
    t = await startTestPorthole({ runner: { concurrent: 4 } });
    const project = await createProject(t, "shared-links");
    reporter = await userWithRole(t, "rita", project.id, 20);
    guest = await userWithRole(t, "gus", project.id, 10);
    outsider = await userWithRole(t, "olga", project.id);
    job = await runJob(t, project);
    other = await runJob(t, project);
  });
  afterAll(async () => {
    for (const j of [job, other]) await t?.api(`/projects/${j.projectId}/jobs/${j.jobId}/cancel`, { method: "POST" });
    await t?.stop();
  });

  test("a Reporter without a link cannot open the terminal, neither writing nor watching", async () => {
    const as = { "PRIVATE-TOKEN": reporter.token };
    expect(await upgradeStatus(t.url, wsPath(job, {}), as)).toBe(403);
    expect(await upgradeStatus(t.url, wsPath(job, { mode: "ro" }), as)).toBe(403);
    expect((await (await check(t, job, null, as)).json()).reason).toBe("forbidden");
  });

  test("a Reporter with a link watches: the shell's output, never their typing, no taking control", async () => {
    const writer = new TerminalClient(terminalWsUrl(t.url, job.jobPath), { token: t.rootToken });
    await writer.control("hello");
    const token = linkTo(t, job);
    expect((await check(t, job, token, { "PRIVATE-TOKEN": reporter.token })).status).toBe(200);
    const viewer = new TerminalClient(terminalWsUrl(t.url, job.jobPath, { share: token, mode: "rw" }), {
      token: reporter.token,
    });
    const hello = await viewer.control("hello");
    expect(hello.mode).toBe("ro");
    expect(hello.participants).toEqual([
      { id: expect.any(Number), user: "root", mode: "rw", canWrite: true },
      { id: hello.you, user: "rita", mode: "ro", canWrite: false },
    ]);
    viewer.type("touch typed-by-viewer\n");
    viewer.ws.send(JSON.stringify({ type: "take_control" }));
    await waitFor("the refusal", async () => viewer.controls.some((c) => c.type === "error"));
    expect(viewer.controls.find((c) => c.type === "error")!.message).toBe("this connection may only watch");
    // Nor can the writer hand control to a link's viewer.
    writer.ws.send(JSON.stringify({ type: "hand_over", to: hello.you }));
    await waitFor("the writer's refusal", async () => writer.controls.some((c) => c.type === "error"));
    writer.type("ls typed-by-viewer 2>&1 | tr a-z A-Z; echo share-''ok\n");
    await viewer.until(/share-ok/);
    expect(viewer.text).toContain("NO SUCH FILE");
    expect(viewer.controls.some((c) => c.type === "mode")).toBe(false);
    const opened = t.porthole.store.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "terminal_opened"))
      .all()
      .filter((e) => e.actorName === "rita");
    expect(opened.map((e) => e.details)).toEqual([
      { mode: "ro", subprotocol: "porthole.terminal.v1", share_link: expect.any(Number) },
    ]);
    await viewer.close();
    await writer.close();
  });

  test("a tampered link is refused: another signature, another expiry, another id", async () => {
    const token = linkTo(t, job);
    const [id, expires, signature] = token.split(".") as [string, string, string];
    const flipped = `${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`;
    const forged = [
      `${id}.${expires}.${flipped}`,
      `${id}.${Number(expires) + 86_400}.${signature}`,
      `${Number(id) + 1}.${expires}.${signature}`,
      `${id}.${expires}`,
      "garbage",
    ];
    const as = { "PRIVATE-TOKEN": reporter.token };
    for (const bad of forged) {
      expect(await upgradeStatus(t.url, wsPath(job, { share: bad }), as)).toBe(403);
      expect((await (await check(t, job, bad, as)).json()).reason).toBe("link_invalid");
    }
    expect(await upgradeStatus(t.url, wsPath(job, { share: token }), as)).toBe(101); // the untouched one works
  });

  test("a link of another job opens nothing here", async () => {
    const token = linkTo(t, other);
    expect(await upgradeStatus(t.url, wsPath(job, { share: token }), { "PRIVATE-TOKEN": reporter.token })).toBe(403);
  });

  test("an expired link is refused", async () => {
    const token = linkTo(t, job, 60, new Date(Date.now() - 120_000));
    const as = { "PRIVATE-TOKEN": reporter.token };
    expect(await upgradeStatus(t.url, wsPath(job, { share: token }), as)).toBe(403);
    expect((await (await check(t, job, token, as)).json()).reason).toBe("link_expired");
  });

  test("below Reporter, outside the project, or not signed in: refused even with a working link", async () => {
    const token = linkTo(t, job);
    expect(await upgradeStatus(t.url, wsPath(job, { share: token }), { "PRIVATE-TOKEN": guest.token })).toBe(403);
    expect(await upgradeStatus(t.url, wsPath(job, { share: token }), { "PRIVATE-TOKEN": outsider.token })).toBe(404);
    expect(await upgradeStatus(t.url, wsPath(job, { share: token }), {})).toBe(401);
    expect((await (await check(t, job, token, {})).json()).reason).toBe("unauthorized");
  });

  test("a Maintainer makes a link on the job page and revokes it: the watcher is closed (4003), the link refused", async () => {
    const root = t.porthole.store.repos.users.findByLogin("root")!;
    const browser = webSession(t, root.id);
    const made = await browser.submit(`${job.jobPath}/terminal/share_links`, { expires_in: "1h" });
    expect(made.status).toBe(303);
    const page = await (await fetch(`${t.url}${job.jobPath}`, { headers: { Cookie: browser.cookie } })).text();
    const url = /value="(http[^"]+\?share=([^"]+))"/.exec(page)!;
    expect(url[1]).toStartWith(`${t.url}${job.jobPath}/terminal?share=`);
    const token = url[2]!;
    const viewer = new TerminalClient(terminalWsUrl(t.url, job.jobPath, { share: token }), { token: reporter.token });
    expect((await viewer.control("hello")).mode).toBe("ro");
    const linkId = Number(token.split(".")[0]);
    expect((await browser.submit(`${job.jobPath}/terminal/share_links/${linkId}/revoke`)).status).toBe(303);
    const closed = await Promise.race([viewer.closed, Bun.sleep(5_000).then(() => null)]);
    expect(closed?.code).toBe(4003);
    const as = { "PRIVATE-TOKEN": reporter.token };
    expect(await upgradeStatus(t.url, wsPath(job, { share: token }), as)).toBe(403);
    expect((await (await check(t, job, token, as)).json()).reason).toBe("link_revoked");
    const page2 = await (await fetch(`${t.url}${job.jobPath}`, { headers: { Cookie: browser.cookie } })).text();
    expect(page2).not.toContain(token);
    const trail = t.porthole.store.db
      .select()
      .from(auditEvents)
      .all()
      .filter((e) => e.action.startsWith("terminal_share_link_"))
      .map((e) => [e.action, e.actorName, e.targetId, (e.details as { link: number }).link]);
    expect(trail).toContainEqual(["terminal_share_link_created", "root", String(job.jobId), linkId]);
    expect(trail).toContainEqual(["terminal_share_link_revoked", "root", String(job.jobId), linkId]);
  });

  test("the API makes, lists and revokes links for Maintainers; the URL it answers opens the watcher's page", async () => {
    const links = `/projects/${job.projectId}/jobs/${job.jobId}/terminal/share_links`;
    const made = await json<{ id: number; url: string; expires_at: string }>(
      t.api(links, { method: "POST", json: { expires_in: "1d" } }),
    );
    expect(new Date(made.expires_at).getTime() - Date.now()).toBeGreaterThan(86_000_000);
    const token = new URL(made.url).searchParams.get("share")!;
    expect(made.url).toBe(`${t.url}${job.jobPath}/terminal?share=${encodeURIComponent(token)}`);
    expect((await json<{ id: number }[]>(t.api(links))).map((l) => l.id)).toContain(made.id);
    const viewer = new TerminalClient(terminalWsUrl(t.url, job.jobPath, { share: token }), { token: reporter.token });
    expect((await viewer.control("hello")).mode).toBe("ro");
    expect((await t.api(`${links}/${made.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await Promise.race([viewer.closed, Bun.sleep(5_000).then(() => null)]))?.code).toBe(4003);
    expect((await t.api(`${links}/${made.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await json<{ id: number }[]>(t.api(links))).map((l) => l.id)).not.toContain(made.id);
    expect((await t.api(links, { method: "POST", json: { expires_in: "forever" } })).status).toBe(400);
    expect((await t.api(links, { method: "POST", json: {}, token: reporter.token })).status).toBe(403);
  });

  test("only Maintainers make or revoke links", async () => {
    const project = job.projectId;
    const developer = await userWithRole(t, "dev-links", project, 30);
    const browser = webSession(t, developer.id);
    expect((await browser.submit(`${job.jobPath}/terminal/share_links`, { expires_in: "1h" })).status).toBe(403);
    const linkId = Number(linkTo(t, job).split(".")[0]);
    expect((await browser.submit(`${job.jobPath}/terminal/share_links/${linkId}/revoke`)).status).toBe(403);
    expect(t.porthole.store.repos.terminalShareLinks.find(linkId)!.revokedAt).toBeNull();
    const root = webSession(t, t.porthole.store.repos.users.findByLogin("root")!.id);
    expect((await root.submit(`${job.jobPath}/terminal/share_links`, { expires_in: "99y" })).status).toBe(400);
  });
});

describe("share links with terminal.anonymous_share_links on", () => {
  let t: TestPorthole;
  let job: RunningJob;
  beforeAll(async () => {
    t = await startTestPorthole({ terminal: { anonymous_share_links: true } });
    job = await runJob(t, await createProject(t, "public-links"));
  });
  afterAll(async () => {
    await t?.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
    await t?.stop();
  });

  test("a visitor who is not signed in watches through a link, and still nothing without one", async () => {
    expect(await upgradeStatus(t.url, wsPath(job, { mode: "ro" }), {})).toBe(401);
    const token = linkTo(t, job);
    const viewer = new TerminalClient(terminalWsUrl(t.url, job.jobPath, { share: token }));
    const hello = await viewer.control("hello");
    expect(hello.mode).toBe("ro");
    expect(hello.participants).toEqual([{ id: hello.you, user: "anonymous", mode: "ro", canWrite: false }]);
    expect(await upgradeStatus(t.url, wsPath(job, { share: `${token}x` }), {})).toBe(403);
    const expired = linkTo(t, job, 60, new Date(Date.now() - 120_000));
    expect(await upgradeStatus(t.url, wsPath(job, { share: expired }), {})).toBe(403);
    await viewer.close();
    const [row] = await json<{ user: unknown; mode: string }[]>(t.api(`/projects/${job.projectId}/terminal_sessions`));
    expect(row).toMatchObject({ user: null, mode: "ro" });
  });
});
