// `porthole serve`'s own log: one line per event in the configured format, an access log only when asked for,
// never a token from a query string; the generated root password is the CLI's output, not a log event.
import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { serveFresh } from "../support/served-porthole.ts";

const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** Runs `porthole serve` with `env` on top of a fresh data dir, makes the requests, stops it, returns its output. */
async function serveAndVisit(env: Record<string, string>, paths: string[]): Promise<string[]> {
  const { server, dataDir } = await serveFresh("log", { PORTHOLE_RUNNER_ENABLED: "false", ...env });
  folders.push(dataDir);
  for (const path of paths) await (await fetch(`${server.url}${path}`)).arrayBuffer();
  expect(await server.stop()).toBe(0);
  return server.output().split("\n").filter(Boolean);
}

const SECRET = `glpat-${crypto.randomUUID()}`;

test("json format with the access log: every log line is one JSON object; requests logged without their query", async () => {
  const lines = await serveAndVisit({ PORTHOLE_LOG_FORMAT: "json", PORTHOLE_LOG_ACCESS: "true" }, [
    `/api/v4/projects?private_token=${SECRET}`,
    "/users/sign_in",
  ]);
  const cli = lines.filter((l) => !l.startsWith("{"));
  expect(cli.some((l) => l.startsWith('Created the administrator "root" with password: '))).toBe(true);
  expect(cli.every((l) => l.startsWith("Created the administrator") || l.startsWith("porthole: "))).toBe(true);
  const events = lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  expect(events.find((e) => e.url)).toMatchObject({ level: "info", msg: expect.stringContaining("listening on") });
  const requests = events.filter((e) => e.msg === "request");
  expect(requests.map((e) => [e.method, e.path, e.status])).toEqual([
    ["GET", "/api/v4/projects", 200],
    ["GET", "/users/sign_in", 200],
  ]);
  expect(typeof requests[0].ms).toBe("number");
  expect(lines.join("\n")).not.toContain(SECRET);
});

test("by default: logfmt, and no line per request", async () => {
  const lines = await serveAndVisit({ PORTHOLE_ROOT_PASSWORD: "log-test-password" }, ["/api/v4/projects"]);
  const events = lines.filter((l) => l.startsWith("time="));
  expect(
    events.some((l) => /level=info msg="porthole \S+ listening on http:\S+" url=http:\/\/127\.0\.0\.1:\d+$/.test(l)),
  ).toBe(true);
  expect(events.some((l) => l.includes("msg=request"))).toBe(false);
  expect(lines.join("\n")).not.toContain("log-test-password");
});
