// The session server and the server's proxy over real TLS and a real PTY: pinning, the token, the ready wait,
// viewers and late join, flow of bytes both ways, and the hold ending when the last viewer leaves.
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawnPty } from "../../pty/spawn-pty.ts";
import { createTerminalBroker, type TerminalSessions } from "../../session/broker.ts";
import { withRemoteTerminals } from "../../session/remote-sessions.ts";
import { openRemotePty, type RemoteSession } from "../../session/remote-target.ts";
import { CapturingClient } from "../../session/test-client.ts";
import { selfSignedCertificate } from "./self-signed.ts";
import { type SessionServer, startSessionServer } from "./session-server.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const JOB = 41;
const size = { cols: 80, rows: 24 };

function shellTarget(jobId: number) {
  return {
    jobId,
    open: async (sz: { cols: number; rows: number }) =>
      spawnPty(["/bin/sh"], { cwd: "/tmp", env: { PATH: "/usr/bin:/bin", PS1: "$ ", MARK: `job-${jobId}` }, ...sz }),
  };
}

async function runnerSide(readyWaitMs = 5000) {
  const broker = createTerminalBroker({ sessionTimeoutSeconds: 30, maxSessionTimeSeconds: 0 });
  const server = await startSessionServer({ listenAddress: "127.0.0.1:0", advertiseAddress: "", broker, readyWaitMs });
  cleanups.push(async () => {
    await broker.stop();
    await server.stop();
  });
  return { broker, server };
}

function serverSide(lookup: (jobId: number) => RemoteSession | null): TerminalSessions {
  const inner = createTerminalBroker({ sessionTimeoutSeconds: 30, maxSessionTimeSeconds: 0 });
  cleanups.push(() => inner.stop());
  return withRemoteTerminals(inner, lookup);
}

async function attach(sessions: TerminalSessions, mode?: "rw" | "ro") {
  let client: CapturingClient | null = null;
  const attachment = await sessions.connect(JOB, { mode, size }, (granted) => {
    client = new CapturingClient(granted);
    return client;
  });
  if (!attachment || !client) throw new Error("no terminal");
  return { attachment, client: client as CapturingClient };
}

function claimed(server: SessionServer, jobId: number): RemoteSession {
  const ticket = server.next();
  server.claim(ticket, jobId);
  return ticket;
}

describe("session server through the server's proxy", () => {
  test("a writer and a late viewer share the job's shell on the runner", async () => {
    const { broker, server } = await runnerSide();
    broker.offer(shellTarget(JOB));
    const ticket = claimed(server, JOB);
    expect(ticket.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/session\/[0-9a-f-]{36}$/);
    const sessions = serverSide((id) => (id === JOB ? ticket : null));
    expect(sessions.available(JOB)).toBe(true);

    const writer = await attach(sessions);
    expect(writer.client.mode).toBe("rw");
    writer.attachment.input(new TextEncoder().encode("echo got-$MARK-$((6*7))\n"));
    await writer.client.until(/got-job-41-42/);
    const viewer = await attach(sessions);
    expect(viewer.client.mode).toBe("ro");
    await viewer.client.until(/got-job-41-42/); // the screen so far, replayed to the late joiner
    writer.attachment.input(new TextEncoder().encode("echo again-$((1+1))\n"));
    await viewer.client.until(/again-2/);
    viewer.attachment.input(new TextEncoder().encode("echo viewer-typed\n")); // a viewer cannot type
    await Bun.sleep(300);
    expect(writer.client.output()).not.toContain("viewer-typed");
  });

  test("a session server presenting another certificate than the registered one is refused", async () => {
    const { broker, server } = await runnerSide();
    broker.offer(shellTarget(JOB));
    const ticket = claimed(server, JOB);
    const other = await selfSignedCertificate(["127.0.0.1"]);
    const sessions = serverSide(() => ({ ...ticket, certificate: other.cert }));
    await expect(attach(sessions)).rejects.toThrow(/could not be reached|certificate/);
    expect(broker.available(JOB)).toBe(true); // nothing reached the job
  });

  test("a wrong authorization token gets no terminal", async () => {
    const { broker, server } = await runnerSide();
    broker.offer(shellTarget(JOB));
    const ticket = claimed(server, JOB);
    const res = await fetch(`${ticket.url}/exec`, {
      headers: { Authorization: "not-the-token", "Sec-WebSocket-Protocol": "porthole.terminal.v1" },
      tls: { ca: ticket.certificate },
    } as RequestInit);
    expect(res.status).toBe(401);
    const sessions = serverSide(() => ({ ...ticket, authorization: `${ticket.authorization}x` }));
    await expect(attach(sessions)).rejects.toThrow();
  });

  test("/exec waits for the job's environment to offer its terminal", async () => {
    const { broker, server } = await runnerSide();
    const ticket = claimed(server, JOB);
    const sessions = serverSide(() => ticket);
    setTimeout(() => broker.offer(shellTarget(JOB)), 700);
    const started = Date.now();
    const writer = await attach(sessions);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    writer.attachment.input(new TextEncoder().encode("echo ready-$((2+3))\n"));
    await writer.client.until(/ready-5/);
  });

  test("the runner's hold ends when the last viewer leaves, and the runner's closing reason reaches the viewer", async () => {
    const { broker, server } = await runnerSide();
    broker.offer(shellTarget(JOB));
    const ticket = claimed(server, JOB);
    const sessions = serverSide(() => ticket);
    const first = await attach(sessions);
    first.attachment.input(new TextEncoder().encode("echo held\n"));
    await first.client.until(/held/);
    const lines: string[] = [];
    const hold = broker.hold(JOB, (l) => lines.push(l), new AbortController().signal);
    await Bun.sleep(200);
    expect(lines.join()).toContain("Terminal is connected");
    first.attachment.detach("client_closed");
    await hold; // resolves once the proxied connection is gone

    const again = await attach(sessions); // a new connection: the runner's shell is still there, its screen replayed
    await again.client.until(/held/);
    broker.withdraw(JOB, "job_finished");
    for (let i = 0; i < 100 && again.client.closedWith === null; i++) await Bun.sleep(50);
    expect(again.client.closedWith).toBe("job_finished");
  });

  test("flow control runs end to end: a browser that does not read pauses the job's PTY on the runner", async () => {
    const { broker, server } = await runnerSide();
    broker.offer(shellTarget(JOB));
    const ticket = claimed(server, JOB);
    const sessions = serverSide(() => ticket);
    let client: CapturingClient | null = null;
    const attachment = await sessions.connect(JOB, { size }, (granted) => {
      client = new CapturingClient(granted, true); // slow: takes nothing until read()
      return client;
    });
    const slow = client as unknown as CapturingClient;
    // About 14 MB of output, also written to a file by tee: the file grows only while the runner's PTY takes output.
    const copy = join(mkdtempSync(join(tmpdir(), "porthole-flow-")), "copy");
    cleanups.push(() => rmSync(dirname(copy), { recursive: true, force: true }));
    attachment!.input(new TextEncoder().encode(`seq 1 2000000 | tee ${copy}; echo flood-$((1+1))-done\n`));
    await Bun.sleep(2000);
    const written = statSync(copy).size;
    expect(slow.received).toBeLessThan(4 * 1024 * 1024);
    expect(written).toBeLessThan(4 * 1024 * 1024); // the program itself is held back on the runner
    await Bun.sleep(1000);
    expect(statSync(copy).size - written).toBeLessThan(256 * 1024); // paused, not trickling on
    const deadline = Date.now() + 60_000;
    while (!slow.output().includes("flood-2-done") && Date.now() < deadline) {
      slow.read();
      attachment!.drained();
      await Bun.sleep(5);
    }
    expect(slow.output()).toContain("\n1999999\r\n2000000\r\nflood-2-done");
  }, 90_000);

  test("the session server speaks TLS 1.2 and 1.3 only, with an ECDSA P-256 certificate naming its host", async () => {
    const { server } = await runnerSide();
    const port = new URL(server.baseUrl).port;
    const handshake = async (version: string) => {
      const proc = Bun.spawn(
        ["openssl", "s_client", version, "-cipher", "DEFAULT@SECLEVEL=0", "-connect", `127.0.0.1:${port}`, "-brief"],
        { stdin: "ignore", stdout: "pipe", stderr: "pipe" },
      );
      const timer = setTimeout(() => proc.kill(), 5000);
      const [out, err] = await Promise.all([
        new Response(proc.stdout).text(),
        new Response(proc.stderr).text(),
        proc.exited,
      ]);
      clearTimeout(timer);
      return `${out}${err}`;
    };
    expect(await handshake("-tls1_1")).toMatch(/alert protocol version|no protocols available/);
    expect(await handshake("-tls1_2")).toContain("Protocol version: TLSv1.2");
    expect(await handshake("-tls1_3")).toContain("Protocol version: TLSv1.3");
    const proc = Bun.spawn(["openssl", "x509", "-noout", "-text"], {
      stdin: new Blob([server.certificate]),
      stdout: "pipe",
    });
    const text = await new Response(proc.stdout).text();
    expect(text).toContain("ASN1 OID: prime256v1");
    expect(text).toMatch(/Subject Alternative Name:\s*\n\s*IP Address:127\.0\.0\.1/);
  });

  test("several connections to one runner session share its shell: a watcher sees what the writer types", async () => {
    const { broker, server } = await runnerSide();
    broker.offer(shellTarget(JOB));
    const ticket = claimed(server, JOB);
    const writer = await openRemotePty(ticket, size);
    let written = "";
    writer.onData((b) => (written += Buffer.from(b).toString("latin1")));
    let watched = "";
    const watcher = new WebSocket(`${ticket.url.replace("https:", "wss:")}/exec?mode=ro`, {
      headers: { Authorization: ticket.authorization },
      protocols: ["terminal.gitlab.com"],
      tls: { ca: ticket.certificate },
    } as unknown as string[]);
    watcher.binaryType = "arraybuffer";
    watcher.onmessage = (e) => (watched += Buffer.from(e.data as ArrayBuffer).toString("latin1"));
    await new Promise((resolve, reject) => {
      watcher.onopen = resolve;
      watcher.onerror = reject;
    });
    writer.write("echo shared-$((5*5))\n");
    const deadline = Date.now() + 10_000;
    while (!(written.includes("shared-25") && watched.includes("shared-25")) && Date.now() < deadline)
      await Bun.sleep(20);
    expect([written.includes("shared-25"), watched.includes("shared-25")]).toEqual([true, true]);
    watcher.close();
    await writer.close();
  });

  test("output across the hop is acknowledged in bulk: echoes one by one are not, all of it is in the end", async () => {
    const tls = await selfSignedCertificate(["127.0.0.1"]);
    const acks: number[] = [];
    let socket: import("bun").ServerWebSocket<unknown> | null = null;
    const runner = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      tls: { key: tls.key, cert: tls.cert },
      fetch: (req, srv) =>
        srv.upgrade(req, { headers: { "Sec-WebSocket-Protocol": "porthole.terminal.v1" } })
          ? undefined
          : new Response("no", { status: 400 }),
      websocket: {
        open(ws) {
          socket = ws;
        },
        message: (_ws, message) => {
          const control = JSON.parse(String(message)) as { type: string; bytes?: number };
          if (control.type === "ack") acks.push(control.bytes!);
        },
      },
    });
    cleanups.push(() => void runner.stop(true));
    const pty = await openRemotePty(
      { url: `https://127.0.0.1:${runner.port}/session/x`, certificate: tls.cert, authorization: "t" },
      size,
    );
    let got = 0;
    pty.onData((b) => (got += b.length));
    for (let i = 0; i < 5; i++) {
      socket!.send(new Uint8Array([97 + i])); // five keystroke echoes, 2 ms apart
      await Bun.sleep(2);
    }
    for (const until = Date.now() + 5000; acks.at(-1) !== 5 && Date.now() < until; ) await Bun.sleep(5);
    expect({ got, last: acks.at(-1) }).toEqual({ got: 5, last: 5 });
    expect(acks.length).toBeLessThan(5);
    socket!.send(new Uint8Array(64 * 1024)); // a flood: acknowledged as it is delivered
    for (const until = Date.now() + 5000; acks.at(-1) !== 5 + 64 * 1024 && Date.now() < until; ) await Bun.sleep(5);
    expect(acks.at(-1)).toBe(5 + 64 * 1024);
    await pty.close();
  });
});
