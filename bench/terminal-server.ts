// A terminal-only porthole for bench/terminal.bench.ts: the real store, auth, broker, WebSocket layer and PTYs;
// the jobs are rows marked running and offered to the broker directly (no runner), N of them, shells in `dir`.
import { join } from "node:path";
import { createPersonalAccessToken } from "../src/auth/tokens.ts";
import { createTerminalSockets } from "../src/http/ws/terminal-sockets.ts";
import { spawnPty } from "../src/pty/spawn-pty.ts";
import { createTerminalBroker } from "../src/session/broker.ts";
import { openStore } from "../src/store/db.ts";
import { insertTestAdminProject, insertTestJob, insertTestPipeline } from "../src/store/store.testing.ts";

const [countArg, dir] = process.argv.slice(2);
const count = Number(countArg);
if (!dir || !Number.isInteger(count) || count < 1) throw new Error("usage: terminal-server.ts <jobs> <dir>");

const store = openStore(join(dir, "porthole.db"));
const db = store.db;
const { user, project } = insertTestAdminProject(db, "bench", "term");
const pipeline = insertTestPipeline(store.repos, project.id, { status: "running" });
const { token } = createPersonalAccessToken(db, { userId: user.id, name: "bench", scopes: ["api"] });

const broker = createTerminalBroker({ sessionTimeoutSeconds: 60, maxSessionTimeSeconds: 0 });
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, PS1: "$ ", TERM: "xterm-256color" };
const paths: string[] = [];
for (let i = 0; i < count; i++) {
  const job = insertTestJob(store.repos, pipeline, { name: `t${i}`, status: "running", userId: user.id });
  broker.offer({
    jobId: job.id,
    open: async (size) => spawnPty(["bash", "--norc", "--noprofile", "-i"], { cwd: dir, env, ...size }),
  });
  paths.push(`/bench/term/-/jobs/${job.id}`);
}

// One user opens a terminal on each of the N jobs: the per-user cap must not stand in the way.
const sockets = createTerminalSockets({
  db,
  sessions: broker,
  externalUrl: "http://127.0.0.1",
  caps: { perJob: 10, perUser: count * 10 },
  accessRecheckMs: 300_000,
});
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  websocket: sockets.websocket,
  fetch: (req, srv) => sockets.handle(req, srv),
});
process.on("SIGTERM", async () => {
  sockets.stop();
  await broker.stop();
  server.stop(true);
  process.exit(0);
});
console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}`, token, paths }));
