// A terminal upgrade for a job still on its way decides again when the job changes or offers its terminal, not on
// a timer: the real store, token check, broker and queue events; the decisions are counted at the broker.
import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPersonalAccessToken } from "../../auth/tokens.ts";
import { silentLogger } from "../../logger.ts";
import { createQueueEvents } from "../../queue/events.ts";
import { createTerminalBroker, type TerminalSessions } from "../../session/broker.ts";
import { openStore, type Store } from "../../store/db.ts";
import { insertTestAdminProject, insertTestJob, insertTestPipeline } from "../../store/store.testing.ts";
import { authorizeTerminalWaiting, watchJobs } from "./authorize.ts";

let dir: string;
let store: Store;
let token: string;
let pipeline: { id: number; projectId: number };
const events = createQueueEvents(silentLogger);
const broker = createTerminalBroker({ sessionTimeoutSeconds: 60, maxSessionTimeSeconds: 0 });
let decisions = 0;
/** The broker, counting how often an upgrade asked whether a terminal is offered (once per decision). */
const sessions: TerminalSessions = {
  ...broker,
  available: (jobId) => {
    decisions++;
    return broker.available(jobId);
  },
};
/** As the server wires it: the broker's offers and the queue's job events. */
const watch = watchJobs(broker, (listener) => events.onJob((job) => listener(job.id)));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "porthole-authorize-wait-"));
  store = openStore(join(dir, "porthole.db"));
  const { user, project } = insertTestAdminProject(store.db, "ns", "proj");
  pipeline = insertTestPipeline(store.repos, project.id, { status: "running" });
  token = createPersonalAccessToken(store.db, { userId: user.id, name: "t", scopes: ["api"] }).token;
  decisions = 0;
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function upgrade(jobId: number, signal?: AbortSignal) {
  const req = new Request(`http://127.0.0.1/ns/proj/-/jobs/${jobId}/terminal.ws`, {
    headers: { "PRIVATE-TOKEN": token, "Sec-WebSocket-Protocol": "porthole.terminal.v1" },
    signal,
  });
  return authorizeTerminalWaiting(store.db, sessions, "http://127.0.0.1", req, { ms: 60_000, watch });
}

test("waiting for the terminal of a running job: one decision, then the next when the terminal is offered", async () => {
  const job = insertTestJob(store.repos, pipeline, { status: "running" });
  const decided = upgrade(job.id);
  await Bun.sleep(700); // the poll this replaces decided 5 times a second
  expect(decisions).toBe(1);
  broker.offer({ jobId: job.id, open: () => Promise.reject(new Error("not opened in this test")) });
  const request = await decided;
  expect(request instanceof Response ? request.status : request.jobId).toBe(job.id);
  expect(decisions).toBe(2);
  broker.withdraw(job.id, "job_finished");
});

test("a pending job that fails instead of running: the waiting upgrade is refused when its row changes", async () => {
  const job = insertTestJob(store.repos, pipeline, { status: "pending" });
  const decided = upgrade(job.id);
  await Bun.sleep(300);
  expect(decisions).toBe(0); // a pending job is refused before the broker is asked
  store.repos.jobs.update(job.id, { status: "failed" });
  events.jobChanged(store.repos.jobs.findById(job.id)!);
  const refused = await decided;
  expect(refused instanceof Response && { status: refused.status, body: await refused.json() }).toEqual({
    status: 409,
    body: { message: "409 Conflict - job is failed, not running" },
  });
});

test("another job's changes do not wake the wait; the client going away ends it", async () => {
  const job = insertTestJob(store.repos, pipeline, { status: "running" });
  const other = insertTestJob(store.repos, pipeline, { status: "running", name: "other" });
  const gone = new AbortController();
  const decided = upgrade(job.id, gone.signal);
  await Bun.sleep(100);
  events.jobChanged(store.repos.jobs.findById(other.id)!);
  broker.offer({ jobId: other.id, open: () => Promise.reject(new Error("not opened in this test")) });
  await Bun.sleep(100);
  expect(decisions).toBe(1);
  gone.abort();
  const refused = await decided;
  expect(refused instanceof Response && refused.status).toBe(409);
  broker.withdraw(other.id, "job_finished");
});
