// Issue 10 item 10: the terminal page cannot be framed (it has every page's security headers), and the screen a
// late joiner is replayed masks the job's secrets as the recording does.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";
import { TerminalClient, terminalWsUrl } from "../support/terminal-client.ts";
import { createProject, json, runJob, userWithRole } from "../support/terminal-jobs.ts";

setDefaultTimeout(60_000); // jobs start through the real runner; a loaded machine is slow

const SECRET = `Rk3v${crypto.randomUUID().slice(0, 8)}`;
const PAGE_HEADERS = [
  "content-security-policy",
  "x-frame-options",
  "x-content-type-options",
  "referrer-policy",
  "cross-origin-opener-policy",
  "permissions-policy",
];

let t: TestPorthole;
beforeAll(async () => (t = await startTestPorthole({ runner: { concurrent: 2 } })));
afterAll(() => t?.stop());

describe("the terminal page", () => {
  test("is served with the security headers of every other page: no framing, a strict CSP", async () => {
    const res = await fetch(`${t.url}/root/any/-/jobs/1/terminal`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toStartWith("text/html");
    const other = await fetch(`${t.url}/users/sign_in`);
    for (const name of PAGE_HEADERS) expect({ name, value: res.headers.get(name) }).toMatchObject({ name });
    for (const name of PAGE_HEADERS.filter((n) => n !== "content-security-policy"))
      expect(res.headers.get(name)).toBe(other.headers.get(name));
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(await res.text()).toContain('<main id="terminal"');
  });
});

describe("a late joiner's screen replay", () => {
  test("shows [MASKED] where the shell printed a masked variable before it joined", async () => {
    const project = await createProject(t, "replay-masking");
    await json(
      t.api(`/projects/${project.id}/variables`, {
        method: "POST",
        json: { key: "SECRET_VAR", value: SECRET, masked: true },
      }),
    );
    const developer = await userWithRole(t, "replay-dev", project.id, 30);
    await t.api(`/projects/${project.id}/protected_branches/main`, { method: "DELETE" }); // a Developer runs on main
    const job = await runJob(t, project, developer.token);
    const open = () => new TerminalClient(terminalWsUrl(t.url, job.jobPath), { token: developer.token });
    const writer = open();
    await writer.control("hello");
    writer.type("echo before-''secret; echo $SECRET_VAR; echo after-''secret\n");
    await writer.until(/after-secret/);
    expect(writer.text).toContain(SECRET); // the shell printed it: the replay below has something to mask

    const late = open();
    expect(await late.control("hello")).toMatchObject({ mode: "ro" });
    await late.until(/after-secret/);
    expect(late.text).toContain("before-secret");
    expect(late.text).toContain("[MASKED]");
    expect(late.text).not.toContain(SECRET);
    await Promise.all([writer.close(), late.close()]);
    await t.api(`/projects/${project.id}/jobs/${job.jobId}/cancel`, { method: "POST" });
  });
});
