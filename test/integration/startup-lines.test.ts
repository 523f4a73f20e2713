// `porthole serve`'s start-up lines as an operator reads them: version and the address it listens on, the external
// URL apart from it, the executor (for Docker, the engine it reached), the data dir; a paste-safe root password.
import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { noDocker } from "../support/docker-engine.ts";
import { serveFresh } from "../support/served-porthole.ts";

const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

async function startUpLines(env: Record<string, string>): Promise<{ text: string; dataDir: string }> {
  const { server, dataDir } = await serveFresh("startup", {
    PORTHOLE_EXTERNAL_URL: "https://ci.example.test",
    PORTHOLE_LOG_FORMAT: "json",
    ...env,
  });
  folders.push(dataDir);
  expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/); // the address it listens on, not the external URL
  expect(await server.stop()).toBe(0);
  return { text: server.output(), dataDir };
}

const messages = (text: string) =>
  text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => (JSON.parse(l) as { msg: string }).msg);

test("shell executor: version, listen address, external URL, executor, data dir; the root password has no '-'", async () => {
  const { text, dataDir } = await startUpLines({ PORTHOLE_RUNNER_EXECUTOR: "shell" });
  const msgs = messages(text);
  expect(msgs).toContainEqual(expect.stringMatching(/^porthole \S+ listening on http:\/\/127\.0\.0\.1:\d+$/));
  expect(msgs).toContain("external URL https://ci.example.test");
  expect(msgs).toContain("executor shell");
  expect(msgs).toContain(`data in ${dataDir}`);
  const password = /with password: (\S+)/.exec(text)?.[1];
  expect(password).toMatch(/^[A-Za-z0-9]{24}$/);
});

test.skipIf(noDocker)(
  "docker executor: the start-up line names the engine it reached",
  async () => {
    const { text } = await startUpLines({ PORTHOLE_RUNNER_EXECUTOR: "docker" });
    expect(messages(text)).toContainEqual(expect.stringMatching(/^executor docker \(Docker \d+\.\d+\S* at \S+\)$/));
  },
  60_000,
);

test("runner off: the executor line says jobs are left to remote runners", async () => {
  const { text } = await startUpLines({ PORTHOLE_RUNNER_ENABLED: "false" });
  expect(messages(text)).toContain("executor none (the embedded runner is off; remote runners run the jobs)");
});
