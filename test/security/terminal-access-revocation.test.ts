// Issue 10, item 5: an open terminal is closed within seconds once its credential, user or role stops allowing it.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { runPorthole, tempFolder } from "../../src/cli/cli.testing.ts";
import { noDocker } from "../support/docker-engine.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { TerminalClient, terminalWsUrl, upgradeStatus } from "../support/terminal-client.ts";
import { createProject, json, type RunningJob, runJob, userWithRole, WAIT_FOR_GO } from "../support/terminal-jobs.ts";
import { waitFor } from "../support/wait.ts";
import { webSession } from "../support/web-session.ts";

/** How long a revocation may take to close the terminal (the server reads the access generation every second). */
const CUT_OFF_MS = 5_000;

setDefaultTimeout(60_000); // jobs start through the real runner (and a container); a loaded machine is slow

/** The same job on each executor: it waits for a file named `go`, so it runs until the test cancels it. */
const EXECUTORS = [
  { executor: "shell", yaml: WAIT_FOR_GO, skip: false },
  {
    executor: "docker",
    yaml: WAIT_FOR_GO.replace("debug-me:\n", "debug-me:\n  image: porthole-test/busybox\n"),
    skip: noDocker,
  },
] as const;

for (const { executor, yaml, skip } of EXECUTORS)
  describe.skipIf(skip)(`on the ${executor} executor, an open terminal is closed when its access ends`, () => {
    let t: TestPorthole;
    let job: RunningJob;
    /** Root watches the shared shell read-only: whatever reaches the shell echoes here. */
    let watcher: TerminalClient;
    let n = 0;
    let rootId: number;
    /** What cut-off writers typed after their close: each later writer's echo round trip proves none of it arrived. */
    const typedAfterCutOff: string[] = [];

    beforeAll(async () => {
      t = await startTestPorthole({ runner: { executor }, docker: { pull_policy: "never" } });
      rootId = (await json<{ id: number }>(t.api("/user"))).id;
      const project = await createProject(t, "revoking", yaml);
      job = await runJob(t, project);
      watcher = new TerminalClient(terminalWsUrl(t.url, job.jobPath, { mode: "ro" }), { token: t.rootToken });
      await watcher.opened;
      await watcher.control("hello");
    });
    afterAll(async () => {
      await t?.api(`/projects/${job.projectId}/jobs/${job.jobId}/cancel`, { method: "POST" });
      await t?.stop();
    });

    /** A Maintainer of the job's project (may open terminals on others' jobs) with an `api` token; no admin. */
    async function maintainer(): Promise<{ id: number; token: string; username: string }> {
      const username = `keeper${++n}`;
      return { ...(await userWithRole(t, username, job.projectId, 40)), username };
    }

    /** Opens the shell as the writer and proves that its typing reaches the shell (the watcher sees the echo). */
    async function openWriter(credentials: {
      token?: string;
      cookie?: string;
      origin?: string;
    }): Promise<TerminalClient> {
      const writer = new TerminalClient(terminalWsUrl(t.url, job.jobPath, { mode: "rw" }), credentials);
      await writer.opened;
      expect((await writer.control("hello")).mode).toBe("rw");
      const marker = `typed-before-${++n}`;
      writer.type(`echo ${marker}\r`);
      await watcher.until(new RegExp(marker));
      // Typed on sockets closed before this one opened, so had the server passed it on, it would show by now.
      for (const typed of typedAfterCutOff) expect(watcher.text).not.toContain(typed);
      return writer;
    }

    /**
     * After `revoke`, the writer is closed with 4003 access_revoked within CUT_OFF_MS; what it types then must reach
     * nothing (checked at the next openWriter, whose own echo comes after it).
     */
    async function expectCutOff(writer: TerminalClient, revoke: () => Promise<unknown>): Promise<void> {
      const started = Date.now();
      await revoke();
      const closed = await Promise.race([writer.closed, Bun.sleep(CUT_OFF_MS).then(() => null)]);
      expect(closed).toEqual({ code: 4003, reason: "access_revoked" });
      const tookMs = Date.now() - started;
      console.log(`${executor}: closed ${tookMs} ms after the revoking request was sent`);
      expect(tookMs).toBeLessThan(CUT_OFF_MS);
      expect(writer.controls).toContainEqual({ type: "closing", reason: "access_revoked" });
      const marker = `typed-after-${++n}`;
      try {
        writer.type(`echo ${marker}\r`);
      } catch {
        // a closed socket may refuse to send at all; either way nothing may arrive
      }
      typedAfterCutOff.push(marker);
      expect(watcher.ws.readyState).toBe(WebSocket.OPEN); // other people's terminals stay open
    }

    test("the token it was opened with is revoked", async () => {
      const user = await maintainer();
      const { id } = await json<{ id: number }>(t.api("/personal_access_tokens/self", { token: user.token }));
      const writer = await openWriter({ token: user.token });
      await expectCutOff(writer, () => t.api(`/personal_access_tokens/${id}`, { method: "DELETE" }));
      expect(await upgradeStatus(t.url, `${job.jobPath}/terminal.ws`, { "PRIVATE-TOKEN": user.token })).toBe(401);
    });

    test("the user is blocked", async () => {
      const user = await maintainer();
      const writer = await openWriter({ token: user.token });
      await expectCutOff(writer, () => t.api(`/users/${user.id}/block`, { method: "POST" }));
      await waitFor("the terminal audit row to say why it closed", async () => {
        const rows = await json<{ user: { id: number } | null; close_reason: string | null }[]>(
          t.api(`/projects/${job.projectId}/terminal_sessions`),
        );
        return rows.some((r) => r.user?.id === user.id && r.close_reason === "access_revoked");
      });
    });

    test("the user is deleted", async () => {
      const user = await maintainer();
      const writer = await openWriter({ token: user.token });
      await expectCutOff(writer, async () =>
        expect((await t.api(`/users/${user.id}`, { method: "DELETE" })).status).toBe(204),
      );
    });

    test("the user's membership is removed", async () => {
      const user = await maintainer();
      const writer = await openWriter({ token: user.token });
      await expectCutOff(writer, async () =>
        expect((await t.api(`/projects/${job.projectId}/members/${user.id}`, { method: "DELETE" })).status).toBe(204),
      );
    });

    test("the user's role is lowered to Reporter (who may not open terminals)", async () => {
      const user = await maintainer();
      const writer = await openWriter({ token: user.token });
      await expectCutOff(writer, () =>
        json(t.api(`/projects/${job.projectId}/members/${user.id}`, { method: "PUT", json: { access_level: 20 } })),
      );
    });

    /** Submits a form of the web UI as `userId`, signed in (the CSRF token is the session's). */
    async function submitForm(userId: number, path: string, fields: Record<string, string> = {}): Promise<void> {
      expect((await webSession(t, userId).submit(path, fields)).status).toBe(303);
    }

    test("pages: the user revokes the token on the access tokens page", async () => {
      const user = await maintainer();
      const { id } = await json<{ id: number }>(t.api("/personal_access_tokens/self", { token: user.token }));
      const writer = await openWriter({ token: user.token });
      await expectCutOff(writer, () => submitForm(user.id, `/-/user_settings/personal_access_tokens/${id}/revoke`));
    });

    test("pages: an admin blocks the user on the admin page", async () => {
      const user = await maintainer();
      const writer = await openWriter({ token: user.token });
      await expectCutOff(writer, () => submitForm(rootId, `/admin/users/${user.id}/block`));
    });

    test("pages: the members page lowers the user to Reporter", async () => {
      const user = await maintainer();
      const writer = await openWriter({ token: user.token });
      await expectCutOff(writer, () =>
        submitForm(rootId, `/${job.projectPath}/-/project_members/${user.id}`, { access_level: "20" }),
      );
    });

    test("pages: the members page removes the user", async () => {
      const user = await maintainer();
      const writer = await openWriter({ token: user.token });
      await expectCutOff(writer, () => submitForm(rootId, `/${job.projectPath}/-/project_members/${user.id}/delete`));
    });

    test("the browser session it was opened with signs out", async () => {
      const user = await maintainer();
      const session = webSession(t, user.id);
      const writer = await openWriter({ cookie: session.cookie, origin: session.origin });
      await expectCutOff(writer, async () => {
        expect((await session.submit("/users/sign_out")).status).toBe(303);
      });
    });

    test("`porthole user block` runs in another process against the same database", async () => {
      const user = await maintainer();
      const writer = await openWriter({ token: user.token });
      await expectCutOff(writer, async () => {
        const cli = await runPorthole(["user", "block", user.username], tempFolder(), { PORTHOLE_DATA_DIR: t.dataDir });
        expect(cli).toMatchObject({ code: 0, stdout: `blocked user ${user.username}\n` });
      });
    });

    test("a terminal whose access did not change stays open and keeps typing", async () => {
      const user = await maintainer();
      const bystander = await maintainer();
      const writer = await openWriter({ token: user.token });
      const bystanders = new TerminalClient(terminalWsUrl(t.url, job.jobPath, { mode: "ro" }), {
        token: bystander.token,
      });
      await bystanders.opened;
      await bystanders.control("hello");
      await t.api(`/users/${bystander.id}/block`, { method: "POST" });
      // The bystander's own terminal closing shows the open terminals were re-checked after the block.
      expect(await bystanders.closed).toEqual({ code: 4003, reason: "access_revoked" });
      expect(writer.ws.readyState).toBe(WebSocket.OPEN);
      writer.type("echo still-typing\r");
      await watcher.until(/still-typing/);
      expect(writer.ws.readyState).toBe(WebSocket.OPEN);
      await writer.close();
    });
  });

describe("the periodic re-check (terminal.access_check_interval) catches what no write announces", () => {
  let t2: TestPorthole;
  let job2: RunningJob;

  beforeAll(async () => {
    t2 = await startTestPorthole({ terminal: { access_check_interval: 1 } });
    job2 = await runJob(t2, await createProject(t2, "expiring"));
  });
  afterAll(async () => {
    await t2?.api(`/projects/${job2.projectId}/jobs/${job2.jobId}/cancel`, { method: "POST" });
    await t2?.stop();
  });

  test("a token whose expiry date has come closes its terminal", async () => {
    const user = await userWithRole(t2, "expiree", job2.projectId, 40);
    const writer = new TerminalClient(terminalWsUrl(t2.url, job2.jobPath), { token: user.token });
    await writer.opened;
    await writer.control("hello");
    // An expiry date arriving writes nothing; stand in for it with a write the access generation does not see.
    t2.porthole.store.sqlite.run("DROP TRIGGER access_token_changed");
    t2.porthole.store.sqlite.run("UPDATE personal_access_tokens SET expires_at = '2020-01-01' WHERE user_id = ?", [
      user.id,
    ]);
    const closed = await Promise.race([writer.closed, Bun.sleep(CUT_OFF_MS).then(() => null)]);
    expect(closed).toEqual({ code: 4003, reason: "access_revoked" });
  });
});
