// The composition root of `porthole serve`: store → queue → executors → runner → terminals → HTTP.
import { join, resolve } from "node:path";
import { ensureRootUser } from "./auth/users.ts";
import { buildsDir, databasePath } from "./config/paths.ts";
import { externalUrl, type PortholeConfig } from "./config/schema.ts";
import type { ExecutorProvider } from "./executor/types.ts";
import { createApp } from "./http/app.ts";
import { startHttpServer } from "./http/server.ts";
import { createUiRoutes } from "./http/ui/index.ts";
import { terminalPageRoutes } from "./http/ws/page-routes.ts";
import { createTerminalSockets } from "./http/ws/terminal-sockets.ts";
import { createTraceStore, type TraceStore } from "./logs/trace-store.ts";
import { ensureEmbeddedRunner } from "./queue/embedded-runner.ts";
import { createQueue, type Queue } from "./queue/index.ts";
import { createRunner } from "./runner/runner.ts";
import { closeLeftovers } from "./session/audit.ts";
import { createTerminalBroker, type TerminalSessions } from "./session/broker.ts";
import { openStore, type Store } from "./store/db.ts";
import { VERSION } from "./version.ts";

export interface Porthole {
  /** The URL the server answers on (external_url). */
  url: string;
  config: PortholeConfig;
  store: Store;
  traces: TraceStore;
  queue: Queue;
  terminals: TerminalSessions;
  stop(): Promise<void>;
}

export interface BootOptions {
  /** Where start-up notices go (the generated root password among them). */
  log?: (line: string) => void;
}

/** A free loopback port for `listen = "host:0"`, so that external_url and CI_SERVER_URL name the real port. */
function concretePort(listen: string): string {
  const [host, port] = [listen.slice(0, listen.lastIndexOf(":")), listen.slice(listen.lastIndexOf(":") + 1)];
  if (port !== "0") return listen;
  const probe = Bun.serve({ hostname: host || "127.0.0.1", port: 0, fetch: () => new Response() });
  const chosen = probe.port;
  probe.stop(true);
  return `${host}:${chosen}`;
}

async function executorProvider(
  config: PortholeConfig,
  runner: { id: number; name: string },
): Promise<ExecutorProvider> {
  if (config.runner.executor === "docker") {
    const { createDockerExecutorProvider } = await import("./executor/docker/index.ts");
    // The scope keeps servers sharing one engine from sweeping each other's containers.
    return createDockerExecutorProvider(config.docker, { ...runner, scope: resolve(config.data_dir) });
  }
  const { createShellExecutorProvider } = await import("./executor/shell/index.ts");
  return createShellExecutorProvider();
}

export async function bootPorthole(input: PortholeConfig, opts: BootOptions = {}): Promise<Porthole> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const listen = concretePort(input.listen);
  const config: PortholeConfig = { ...input, listen, external_url: input.external_url ?? `http://${listen}` };
  const url = externalUrl(config);
  const dataDir = resolve(config.data_dir);
  const store = openStore(databasePath({ ...config, data_dir: dataDir }));

  const root = await ensureRootUser(store.db, process.env.PORTHOLE_ROOT_PASSWORD || undefined);
  if (root.created && root.password && !process.env.PORTHOLE_ROOT_PASSWORD) {
    log(`Created the administrator "root" with password: ${root.password}  (shown once; change it after signing in)`);
  }

  const traces = createTraceStore(store.db);
  const queue = createQueue({
    db: store.db,
    traces,
    externalUrl: url,
    defaultTimeoutSeconds: config.job_timeout,
    maxJobsPerPipeline: config.limits.max_jobs_per_pipeline,
    importUrlAllowlist: config.limits.import_url_allowlist,
    reposDir: join(dataDir, "repos"),
  });

  const terminals = createTerminalBroker({
    sessionTimeoutSeconds: config.session_server.session_timeout,
    maxSessionTimeSeconds: config.terminal.max_session_time,
    recordings: { dataDir, maxBytes: config.terminal.max_recording_bytes },
    log,
  });
  closeLeftovers(store.db);

  let runner: ReturnType<typeof createRunner> | null = null;
  if (config.runner.enabled) {
    const info = ensureEmbeddedRunner(store.db, config.runner.name);
    const executors = await executorProvider(config, info);
    const swept = (await executors.sweep?.()) ?? [];
    for (const item of swept) log(`Removed leftover of a previous run: ${item}`);
    runner = createRunner({
      coordinator: queue.coordinator,
      executors,
      broker: terminals,
      info,
      buildsDir: buildsDir({ ...config, data_dir: dataDir }),
      concurrent: config.runner.concurrent,
      version: VERSION,
      outputLimitBytes: config.limits.output_limit * 1024,
    });
  }
  const orphans = queue.recover();
  if (orphans.length) log(`Failed ${orphans.length} job(s) left running by a previous run: ${orphans.join(", ")}`);

  const deps = { store, pipelines: queue.service, traces, events: queue.events, config, version: VERSION };
  const app = createApp(deps);
  app.route("/", createUiRoutes(deps));
  const sockets = createTerminalSockets({ db: store.db, sessions: terminals, externalUrl: url, log });
  const server = startHttpServer(app, { listen, routes: terminalPageRoutes, upgrade: sockets });
  runner?.start();
  log(`porthole ${VERSION} listening on ${url}`);

  return {
    url,
    config,
    store,
    traces,
    queue,
    terminals,
    async stop() {
      await terminals.stop();
      await runner?.stop();
      await server.stop();
      queue.stop();
      store.close();
    },
  };
}
