// The composition root of `porthole serve`: store → queue → executors → runner → terminals → HTTP.
import { join, resolve } from "node:path";
import { ensureRootUser } from "./auth/users.ts";
import { artifactsDir, buildsDir, databasePath } from "./config/paths.ts";
import { externalUrl, type PortholeConfig } from "./config/schema.ts";
import { createDebugPauses } from "./domain/debug.ts";
import { createExecutorProvider } from "./executor/registry.ts";
import type { ExecutorProvider } from "./executor/types.ts";
import { composeApp } from "./http/compose.ts";
import { createDebugControl } from "./http/debug-control.ts";
import { createOpsMetrics } from "./http/ops/metrics.ts";
import { relativeRoot } from "./http/relative-root.ts";
import { claimListenAddress, startHttpServer } from "./http/server.ts";
import { createTerminalPageRoutes, terminalPageRoutes } from "./http/ws/page-routes.ts";
import { createTerminalSockets } from "./http/ws/terminal-sockets.ts";
import { createLogger, type Logger } from "./logger.ts";
import { createTraceStore, type TraceStore } from "./logs/trace-store.ts";
import { ensureEmbeddedRunner } from "./queue/embedded-runner.ts";
import { createQueue, type Queue } from "./queue/index.ts";
import { createRunner } from "./runner/runner.ts";
import { closeLeftovers } from "./session/audit.ts";
import { createTerminalBroker, type TerminalSessions } from "./session/broker.ts";
import { startRecordingRetention } from "./session/recording-retention.ts";
import { withRemoteTerminals } from "./session/remote-sessions.ts";
import { type ArtifactStore, createArtifactStore } from "./store/artifacts.ts";
import { startCheckpointer } from "./store/checkpointer.ts";
import { openStore, type Store } from "./store/db.ts";
import { repositoriesOf } from "./store/repositories.ts";
import { VERSION } from "./version.ts";

export interface Porthole {
  /** The URL the server answers on (external_url). */
  url: string;
  config: PortholeConfig;
  store: Store;
  traces: TraceStore;
  artifacts: ArtifactStore;
  queue: Queue;
  terminals: TerminalSessions;
  /** The generated password of a root user created by this start (none when PORTHOLE_ROOT_PASSWORD set it). */
  rootPassword?: string;
  stop(): Promise<void>;
}

/** How often expired artifacts are removed. */
const ARTIFACT_SWEEP_MS = 15 * 60 * 1000;

/** How long open responses (event streams ending) may take to finish when the server stops. */
const STREAM_GRACE_MS = 3000;
/** A stop phase taking this long or longer is logged with its time. */
const SLOW_STOP_PHASE_MS = 1000;

export interface BootOptions {
  /** The server's log; by default one built from `config.log`, writing to standard error. */
  logger?: Logger;
  /** Seconds before the HTTP server closes an idle connection (Bun's default, 10, when absent): tests shorten it. */
  httpIdleTimeoutSeconds?: number;
}

export async function bootPorthole(input: PortholeConfig, opts: BootOptions = {}): Promise<Porthole> {
  const logger = opts.logger ?? createLogger(input.log);
  // Before the store is touched: a server on a taken address stops here (and a port 0 becomes a real one, so that
  // external_url and CI_SERVER_URL name it).
  const listen = claimListenAddress(input.listen);
  const config: PortholeConfig = { ...input, listen, external_url: input.external_url ?? `http://${listen}` };
  const url = externalUrl(config);
  const dataDir = resolve(config.data_dir);
  const store = openStore(databasePath({ ...config, data_dir: dataDir }));
  const checkpointer = startCheckpointer(store.sqlite.filename);

  const root = await ensureRootUser(store.db, process.env.PORTHOLE_ROOT_PASSWORD || undefined);
  const rootPassword = root.created && !process.env.PORTHOLE_ROOT_PASSWORD ? root.password : undefined;

  const traces = createTraceStore(store.db, {
    logger: logger.child({ component: "logs" }),
    path: store.sqlite.filename,
  });
  const artifacts = createArtifactStore(store.db, artifactsDir({ ...config, data_dir: dataDir }), {
    maxBytes: config.artifacts.max_size,
    maxFiles: config.artifacts.max_files,
  });
  // Uploads sweep too; this catches expiry on a quiet server.
  const artifactSweep = setInterval(() => artifacts.sweepExpired(), ARTIFACT_SWEEP_MS);
  const recordingRetention = startRecordingRetention({ dataDir, days: config.terminal.recording_retention, logger });
  const queue = createQueue({
    db: store.db,
    traces,
    artifacts,
    externalUrl: url,
    defaultTimeoutSeconds: config.job_timeout,
    maxJobsPerPipeline: config.limits.max_jobs_per_pipeline,
    importUrlAllowlist: config.limits.import_url_allowlist,
    includeRemoteHttp: config.limits.include_remote_http,
    reposDir: join(dataDir, "repos"),
    logger: logger.child({ component: "queue" }),
    remote: {
      longPollMs: config.runner_api.long_poll_timeout * 1000,
      leaseMs: config.runner_api.lease_timeout * 1000,
    },
  });

  const terminals = createTerminalBroker({
    sessionTimeoutSeconds: config.session_server.session_timeout,
    maxSessionTimeSeconds: config.terminal.max_session_time,
    recordings: { dataDir, maxBytes: config.terminal.max_recording_bytes },
    logger: logger.child({ component: "terminal" }),
  });
  closeLeftovers(store.db);
  const debugPauses = createDebugPauses();
  // A job starting or ending a wait is a change its page shows (Debug the failure, Continue).
  debugPauses.onChange((jobId) => {
    const job = store.repos.jobs.findById(jobId);
    if (job) queue.events.jobChanged(job);
  });
  // Each wait is a `hold` marker in the job's terminal recording, its end a `resume`.
  debugPauses.onChange((jobId) => terminals.mark(jobId, debugPauses.current(jobId) ? "hold" : "resume"));

  let runner: ReturnType<typeof createRunner> | null = null;
  let executorLine = "none (the embedded runner is off; remote runners run the jobs)";
  let guard: ReturnType<NonNullable<ExecutorProvider["guard"]>> | null = null;
  if (config.runner.enabled) {
    const info = ensureEmbeddedRunner(store.db, config.runner.name);
    const executors = await createExecutorProvider(config.runner.executor, { config, runner: info, logger });
    const swept = (await executors.sweep?.()) ?? [];
    for (const item of swept) logger.info("removed a leftover of a previous run", { item });
    executorLine = `${executors.name}${executors.describe ? ` (${await executors.describe()})` : ""}`;
    guard = executors.guard?.() ?? null;
    if (guard) logger.info("watchdog started: it removes the jobs' containers if this server dies", { pid: guard.pid });
    runner = createRunner({
      coordinator: queue.coordinator,
      executors,
      broker: terminals,
      info,
      buildsDir: buildsDir({ ...config, data_dir: dataDir }),
      concurrent: config.runner.concurrent,
      version: VERSION,
      logger: logger.child({ component: "runner" }),
      outputLimitBytes: config.limits.output_limit * 1024,
      pauses: debugPauses,
    });
  }
  const orphans = queue.recover();
  if (orphans.length) logger.warn("failed jobs left running by a previous run", { jobs: orphans.join(",") });

  const metrics = createOpsMetrics({
    store,
    events: queue.events,
    dataDir,
    traceBytes: () => traces.ingestedBytes(),
    terminals: () => terminals.stats(),
  });
  let runnerRunning = false;
  const deps = {
    store,
    pipelines: queue.service,
    traces,
    artifacts,
    events: queue.events,
    config,
    version: VERSION,
    logger,
    metrics,
    runnerRunning: () => runnerRunning,
    remoteJobs: queue.remote,
    terminalHold: (jobId: number) => terminals.holdOf(jobId),
    debugControl: createDebugControl(debugPauses, (jobId: number) =>
      repositoriesOf(store.db).jobSessions.runningSession(jobId),
    ),
  };
  const app = composeApp(deps);
  const anonymousShareLinks = config.terminal.anonymous_share_links;
  app.route("/", createTerminalPageRoutes({ db: store.db, sessions: terminals, anonymousShareLinks }));
  const sockets = createTerminalSockets({
    db: store.db,
    // Jobs on remote runners: the browser's socket is proxied to the runner's session server.
    sessions: withRemoteTerminals(terminals, (jobId) => repositoriesOf(store.db).jobSessions.runningSession(jobId)),
    externalUrl: url,
    caps: { perJob: config.terminal.max_connections_per_job, perUser: config.terminal.max_connections_per_user },
    accessRecheckMs: config.terminal.access_check_interval * 1000,
    anonymousShareLinks,
    jobChanges: (listener) => queue.events.onJob((job) => listener(job.id)),
    logger,
  });
  const server = startHttpServer(app, {
    listen,
    routes: terminalPageRoutes,
    upgrade: sockets,
    relativeRoot: relativeRoot(url),
    idleTimeoutSeconds: opts.httpIdleTimeoutSeconds,
  });
  runner?.start();
  runnerRunning = runner !== null;
  // The start-up lines: what runs, where it listens, how users reach it, what executes jobs, where data lives.
  const listenUrl = `http://${listen}`;
  logger.info(`porthole ${VERSION} listening on ${listenUrl}`, { url: listenUrl });
  logger.info(`external URL ${url}`, { external_url: url });
  logger.info(`executor ${executorLine}`, { executor: config.runner.enabled ? config.runner.executor : "none" });
  logger.info(`data in ${dataDir}`, { data_dir: dataDir });

  return {
    url,
    config,
    store,
    traces,
    artifacts,
    queue,
    terminals,
    rootPassword,
    async stop() {
      // A phase that takes long is logged, so a stop that overran its limit says where the time went.
      const phase = async (name: string, work: () => Promise<unknown> | undefined) => {
        const started = performance.now();
        await work();
        const ms = Math.round(performance.now() - started);
        if (ms >= SLOW_STOP_PHASE_MS) logger.info(`stopping: ${name} took ${ms} ms`, { phase: name, ms });
      };
      sockets.stop();
      await phase("closing terminals", () => terminals.stop());
      runnerRunning = false;
      await phase("ending running jobs", () => runner?.stop());
      await phase("releasing the Docker watchdog", () => guard?.release());
      traces.close(); // every live log follower gets `end` before the sockets close…
      await phase("closing connections", () => server.stop(STREAM_GRACE_MS)); // …and a few seconds to receive it
      queue.stop();
      clearInterval(artifactSweep);
      recordingRetention.stop();
      metrics.stop();
      checkpointer.stop();
      store.close();
    },
  };
}
