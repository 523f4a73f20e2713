// Terminal sessions through the broker, on real shells: sharing, roles, late joiners, flow control, the hold.
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import { spawnPty } from "../pty/spawn-pty.ts";
import { createTerminalBroker, type TerminalBrokerOptions, type TerminalSessions } from "./broker.ts";
import { CapturingClient } from "./test-client.ts";
import type { TerminalMode } from "./types.ts";

const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: tmpdir(), PS1: "$ " };
const brokers: TerminalSessions[] = [];
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
});

function setup(opts: Partial<TerminalBrokerOptions> = {}, jobId = 7, endWhenUnattended = false) {
  const broker = createTerminalBroker({ sessionTimeoutSeconds: 1800, maxSessionTimeSeconds: 0, ...opts });
  brokers.push(broker);
  let opened = 0;
  broker.offer({
    jobId,
    endWhenUnattended,
    open: async (size) => {
      opened++;
      return spawnPty(["bash", "--norc", "--noprofile", "-i"], { cwd: tmpdir(), env, ...size });
    },
  });
  async function join(mode?: TerminalMode, slow = false) {
    let client: CapturingClient | undefined;
    const attachment = await broker.connect(
      jobId,
      { mode, size: { cols: 80, rows: 24 } },
      (m) => (client = new CapturingClient(m, slow)),
    );
    return { client: client!, attachment: attachment! };
  }
  return { broker, join, opened: () => opened };
}

const enc = (s: string) => new TextEncoder().encode(s);

describe("terminal sessions", () => {
  test("a job's holds are markers in its recording: a session started while held begins with one, repeats are ignored", async () => {
    const dataDir = mkdtempSync(joinPath(tmpdir(), "porthole-marks-"));
    try {
      const { broker, join } = setup({ recordings: { dataDir, maxBytes: 1 << 20 } });
      broker.mark(7, "hold"); // a breakpoint before anyone attached
      const a = await join();
      a.attachment.input(enc("echo during-''pause\n"));
      await a.client.until(/during-pause/);
      broker.mark(7, "hold");
      broker.mark(7, "resume");
      broker.mark(7, "resume");
      a.attachment.input(enc("exit 0\n"));
      await a.client.until(/exit/);
      await Bun.sleep(200);
      await broker.stop();
      const events = readFileSync(joinPath(dataDir, "recordings/job-7-1.cast"), "utf8")
        .trimEnd()
        .split("\n")
        .slice(1)
        .map((line) => JSON.parse(line) as [number, string, string]);
      expect(events.filter((e) => e[1] === "m").map((e) => e[2])).toEqual(["hold", "resume"]);
      expect(events.findIndex((e) => e[1] === "m")).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test("clients share one shell: the first writes, later ones watch, their keys do nothing", async () => {
    const { join, opened } = setup();
    const a = await join();
    const b = await join();
    expect([a.attachment.mode, b.attachment.mode]).toEqual(["rw", "ro"]);
    expect(a.client.controls[0]).toMatchObject({ type: "hello", job: 7, mode: "rw", cols: 80, rows: 24 });
    expect(b.client.controls[0]).toMatchObject({ type: "hello", mode: "ro", writers: 1, viewers: 1 });
    b.attachment.input(enc("echo from-viewer\n"));
    a.attachment.input(enc("echo from-''writer\n"));
    await a.client.until(/from-writer/);
    await b.client.until(/from-writer/);
    expect(a.client.output()).not.toContain("from-viewer");
    expect(opened()).toBe(1);
  });

  test("a late joiner is shown the current screen at once", async () => {
    const { join } = setup();
    const a = await join();
    a.attachment.input(enc("clear; echo 'marker:'ABC\n"));
    await a.client.until(/marker:ABC/);
    const late = await join();
    await late.client.until(/marker:ABC/);
  });

  test("asking for rw replaces the writer, who is closed with reason replaced", async () => {
    const { join } = setup();
    const a = await join();
    const b = await join("rw");
    expect(b.attachment.mode).toBe("rw");
    expect(a.client.closedWith).toBe("replaced");
    b.attachment.resize(100, 30);
    b.attachment.input(enc("stty size\n"));
    await b.client.until(/30 100/);
  });

  test("a client that does not read pauses the shell; nothing is lost when it catches up", async () => {
    const { join } = setup({ flow: { highWater: 64 * 1024, lowWater: 16 * 1024, stallMs: 60_000 } });
    const a = await join("rw", true);
    a.attachment.input(enc("seq 1 300000; echo SEQ''DONE\n"));
    await a.client.until(/\r\n1000\r\n/);
    await Bun.sleep(300);
    const held = a.client.received;
    await Bun.sleep(300);
    expect(a.client.received).toBe(held);
    expect(held).toBeLessThan(1_000_000); // the whole run prints ~2.3 MB
    while (!/SEQDONE/.test(a.client.output())) {
      a.client.read();
      a.attachment.drained();
      await Bun.sleep(5);
    }
    const out = a.client.output();
    const numbers = out.slice(out.indexOf("\r1\r\n") + 1, out.indexOf("\r\nSEQDONE")).split("\r\n");
    const missing = numbers
      .map(Number)
      .filter((n, i) => n !== i + 1)
      .slice(0, 3);
    expect([numbers.length, numbers[0], missing]).toEqual([300_000, "1", []]);
    expect(numbers.every((n, i) => n === String(i + 1))).toBe(true);
  }, 30_000);

  test("a viewer that stalls a keeping-up writer is dropped as too_slow", async () => {
    const { join } = setup({ flow: { highWater: 32 * 1024, lowWater: 8 * 1024, stallMs: 200 } });
    const writer = await join("rw");
    const viewer = await join("ro", true);
    writer.attachment.input(enc("seq 1 2000000; echo SEQ''DONE\n"));
    await writer.client.until(/SEQDONE/);
    expect(viewer.client.closedWith).toBe("too_slow");
  }, 30_000);

  test("a writer that stops reading is dropped as too_slow; a viewer that keeps up gets the rest", async () => {
    const { join } = setup({ flow: { highWater: 32 * 1024, lowWater: 8 * 1024, stallMs: 200 } });
    const writer = await join("rw", true);
    const viewer = await join("ro");
    writer.attachment.input(enc("seq 1 2000000; echo SEQ''DONE\n"));
    await viewer.client.until(/SEQDONE/);
    expect(writer.client.closedWith).toBe("too_slow");
    expect(viewer.client.closedWith).toBeNull();
  }, 30_000);

  test("hold: logs GitLab's line and ends when the last terminal closes", async () => {
    const { broker, join } = setup();
    const a = await join();
    const lines: string[] = [];
    let released = false;
    const held = broker.hold(7, (l) => lines.push(l), new AbortController().signal).then(() => (released = true));
    await Bun.sleep(50);
    expect(lines).toEqual(["Terminal is connected, will time out in 30m0s..."]);
    expect(released).toBe(false);
    a.attachment.detach("client_closed");
    await held;
    expect(lines.at(-1)).toBe("The last terminal left; the job continues.");
  });

  test("hold: session_timeout ends the session and tells the clients why", async () => {
    const { broker, join } = setup({ sessionTimeoutSeconds: 1 });
    const a = await join();
    const lines: string[] = [];
    await broker.hold(7, (l) => lines.push(l), new AbortController().signal);
    expect(lines).toEqual(["Terminal is connected, will time out in 1s..."]);
    expect(a.client.closedWith).toBe("session_timeout");
  });

  test("hold resolves at once without terminals, and on abort", async () => {
    const { broker, join } = setup();
    await broker.hold(7, () => expect.unreachable(), new AbortController().signal);
    await join();
    const abort = new AbortController();
    const held = broker.hold(7, () => {}, abort.signal);
    abort.abort();
    await held;
  });

  test("withdraw closes every connection with the reason and forgets the job", async () => {
    const { broker, join } = setup();
    const a = await join();
    const b = await join();
    a.attachment.input(enc("echo pid=$$\n"));
    await a.client.until(/pid=\d+/);
    broker.withdraw(7, "canceled");
    expect(broker.available(7)).toBe(false);
    await Bun.sleep(10);
    expect([a.client.closedWith, b.client.closedWith]).toEqual(["canceled", "canceled"]);
    expect(await broker.connect(7, { size: { cols: 80, rows: 24 } }, () => expect.unreachable())).toBeNull();
  });

  test("max_session_time ends the shell", async () => {
    const { join } = setup({ maxSessionTimeSeconds: 1 });
    const a = await join();
    await a.client.until(/\$ $/);
    const deadline = Date.now() + 5000;
    while (!a.client.closedWith && Date.now() < deadline) await Bun.sleep(20);
    expect(a.client.closedWith).toBe("max_session_time");
  });

  test("when the shell exits, clients get its exit code; the next connection starts a new shell", async () => {
    const { join, opened } = setup();
    const a = await join();
    a.attachment.input(enc("exit 4\n"));
    const deadline = Date.now() + 5000;
    while (!a.client.closedWith && Date.now() < deadline) await Bun.sleep(20);
    expect(a.client.controls).toContainEqual({ type: "exit", code: 4 });
    expect(a.client.closedWith).toBe("shell_exited");
    const b = await join();
    expect(b.attachment.mode).toBe("rw");
    expect(opened()).toBe(2);
  });

  test("a target that ends when unattended (a remote runner's link) closes with its last client; the next starts anew", async () => {
    const { join, opened } = setup({}, 7, true);
    const a = await join();
    const b = await join();
    b.attachment.detach("client_closed");
    a.attachment.input(enc("echo still-''here\n"));
    await a.client.until(/still-here/); // one client left: the shell stays
    a.attachment.detach("client_closed");
    const c = await join();
    expect(opened()).toBe(2); // the first shell ended with its last client
    c.attachment.input(enc("echo fresh-''shell\n"));
    await c.client.until(/fresh-shell/);
    expect(c.client.output()).not.toContain("still-here");
  });
});
