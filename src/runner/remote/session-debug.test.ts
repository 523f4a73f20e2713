// The session server's debug routes over real TLS: the server's DebugControl sees and continues a remote job's wait;
// a wrong token, another job's session or a foreign certificate gets nothing.
import { afterEach, expect, test } from "bun:test";
import { createDebugPauses } from "../../domain/debug.ts";
import { createDebugControl } from "../../http/debug-control.ts";
import { createTerminalBroker } from "../../session/broker.ts";
import type { RemoteSession } from "../../session/remote-target.ts";
import { selfSignedCertificate } from "./self-signed.ts";
import { startSessionServer } from "./session-server.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function runnerWithWait(jobId: number) {
  const pauses = createDebugPauses();
  const broker = createTerminalBroker({ sessionTimeoutSeconds: 30, maxSessionTimeSeconds: 0 });
  const server = await startSessionServer({ listenAddress: "127.0.0.1:0", advertiseAddress: "", broker, pauses });
  cleanups.push(async () => {
    await broker.stop();
    await server.stop();
  });
  const ticket = server.next();
  server.claim(ticket, jobId);
  const stop = new AbortController();
  cleanups.push(async () => stop.abort());
  const pause = { kind: "breakpoint" as const, where: "before script line 2", since: new Date(), endsAt: null };
  const waiting = pauses.wait(jobId, pause, stop.signal);
  return { ticket, waiting, pauses, server };
}

test("the server sees a remote job's wait and Continue ends it on the runner", async () => {
  const { ticket, waiting, pauses } = await runnerWithWait(7);
  const control = createDebugControl(createDebugPauses(), (id) => (id === 7 ? ticket : null));
  const seen = await control.current(7);
  expect(seen?.kind).toBe("breakpoint");
  expect(seen?.where).toBe("before script line 2");
  expect(seen?.endsAt).toBeNull();
  expect(await control.continue(7)).toBe(true);
  await waiting;
  expect(pauses.current(7)).toBeNull();
  expect(await control.continue(7)).toBe(false); // nothing waits any more: 409 from the runner
});

test("a wrong token, a session of another job, or a foreign certificate cannot continue", async () => {
  const { ticket, pauses } = await runnerWithWait(8);
  const other = await runnerWithWait(9);
  const forged: RemoteSession = { ...ticket, authorization: "not-the-token" };
  expect(await createDebugControl(createDebugPauses(), () => forged).continue(8)).toBe(false);
  const raw = await fetch(`${ticket.url}/continue`, {
    method: "POST",
    headers: { Authorization: "not-the-token" },
    tls: { rejectUnauthorized: false },
  } as RequestInit);
  expect(raw.status).toBe(401);
  // Job 9's ticket continues job 9 only.
  expect(await createDebugControl(createDebugPauses(), () => other.ticket).continue(8)).toBe(true);
  expect(pauses.current(8)).not.toBeNull();
  expect(other.pauses.current(9)).toBeNull();
  const foreign = await selfSignedCertificate(["127.0.0.1"]);
  const pinnedElsewhere: RemoteSession = { ...ticket, certificate: foreign.cert };
  expect(await createDebugControl(createDebugPauses(), () => pinnedElsewhere).continue(8)).toBe(false);
  expect(pauses.current(8)).not.toBeNull();
});
