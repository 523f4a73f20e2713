// Two servers on one address: the second exits 2 naming the address, before it touches its data dir.
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanEnv } from "../../src/cli/cli.testing.ts";
import { portholeArgv, type ServedPorthole, startServed } from "../support/served-porthole.ts";

const dirs = [mkdtempSync(join(tmpdir(), "porthole-first-")), mkdtempSync(join(tmpdir(), "porthole-second-"))];
let first: ServedPorthole | undefined;
afterAll(async () => {
  await first?.process.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test("a second `porthole serve` on a taken address exits 2 with `address already in use`; the first keeps all traffic", async () => {
  first = await startServed(dirs[0]!);
  const address = new URL(first.url).host;
  // On a shared port the second server would run forever: it gets 15 s to exit.
  const proc = Bun.spawn(portholeArgv("serve", "--listen", address, "--data-dir", join(dirs[1]!, "data")), {
    cwd: dirs[1]!,
    env: cleanEnv({ PORTHOLE_ROOT_PASSWORD: "second-root-password" }),
    stdout: "pipe",
    stderr: "pipe",
    timeout: 15_000,
  });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  const second = { stderr, code };
  expect(second.stderr.trim()).toBe(`listen ${address}: address already in use`);
  expect(second.code).toBe(2);
  expect(existsSync(join(dirs[1]!, "data")) ? readdirSync(join(dirs[1]!, "data")) : []).toEqual([]);
  const statuses = await Promise.all(Array.from({ length: 20 }, async () => (await first!.api("/user")).status));
  expect(statuses).toEqual(Array(20).fill(200));
}, 60_000);
