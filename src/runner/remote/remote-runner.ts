// `porthole runner` assembled: verify the token, start the session server, run jobs from the server over HTTP.
import { buildsDir } from "../../config/paths.ts";
import type { PortholeConfig } from "../../config/schema.ts";
import { createDebugPauses } from "../../domain/debug.ts";
import { createExecutorProvider } from "../../executor/registry.ts";
import type { Logger } from "../../logger.ts";
import { createTerminalBroker } from "../../session/broker.ts";
import { VERSION } from "../../version.ts";
import { createRunner } from "../runner.ts";
import { createHttpCoordinator } from "./http-coordinator.ts";
import { type SessionServer, startSessionServer } from "./session-server.ts";

export interface RemoteRunner {
  /** The runner's id on the server. */
  id: number;
  /** The session server's base URL, or null when it could not start (jobs then offer no terminal). */
  sessionUrl: string | null;
  stop(): Promise<void>;
}

/** How long a runner keeps trying to reach its server at start before it gives up. */
const VERIFY_FOR_MS = 30_000;

async function verifyWithRetry(coordinator: ReturnType<typeof createHttpCoordinator>, logger: Logger) {
  const until = Date.now() + VERIFY_FOR_MS;
  for (;;) {
    try {
      return await coordinator.verify();
    } catch (error) {
      const refused = error instanceof Error && error.message.startsWith("the server refused");
      if (refused || Date.now() > until) throw error;
      logger.warn("the server is not reachable yet; retrying", { error });
      await Bun.sleep(1000);
    }
  }
}

export async function startRemoteRunner(config: PortholeConfig, logger: Logger): Promise<RemoteRunner> {
  const { url, token, name, executor, concurrent } = config.runner;
  const broker = createTerminalBroker({
    sessionTimeoutSeconds: config.session_server.session_timeout,
    maxSessionTimeSeconds: config.terminal.max_session_time,
    logger: logger.child({ component: "terminal" }),
  });
  const pauses = createDebugPauses();
  let sessions: SessionServer | null = null;
  try {
    sessions = await startSessionServer({
      listenAddress: config.session_server.listen_address,
      advertiseAddress: config.session_server.advertise_address,
      broker,
      pauses,
      logger: logger.child({ component: "session_server" }),
    });
  } catch (error) {
    logger.warn("the session server could not start; jobs run without terminals", { error });
  }
  const loopback = (host: string) => host === "localhost" || host.startsWith("127.") || host === "[::1]";
  if (sessions && loopback(new URL(sessions.baseUrl).hostname) && !loopback(new URL(url).hostname)) {
    logger.warn(
      "the session server is advertised on a loopback address the server cannot reach: job terminals will not open; set session_server.advertise_address",
      {
        session_server: sessions.baseUrl,
      },
    );
  }
  const coordinator = createHttpCoordinator({
    url,
    token,
    info: { name, version: VERSION, executor },
    sessions: sessions ?? undefined,
    artifactLimits: { maxFiles: config.artifacts.max_files, maxBytes: config.artifacts.max_size },
    logger: logger.child({ component: "coordinator" }),
  });
  try {
    const { id } = await verifyWithRetry(coordinator, logger);
    const info = { id, name, tags: [], runUntagged: true };
    const executors = await createExecutorProvider(executor, {
      config,
      runner: info,
      logger: logger.child({ component: "executor" }),
    });
    for (const item of (await executors.sweep?.()) ?? []) logger.info("removed a leftover of a previous run", { item });
    const runner = createRunner({
      coordinator,
      executors,
      broker,
      info,
      buildsDir: buildsDir(config),
      concurrent,
      version: VERSION,
      logger: logger.child({ component: "runner" }),
      // Without a session server nobody can attach or continue: a debugged job then runs as any other.
      ...(sessions ? { pauses } : {}),
    });
    runner.start();
    logger.info(`porthole runner ${VERSION} (${executor}) running jobs for ${url}`, {
      runner_id: id,
      session_server: sessions?.baseUrl,
    });
    return {
      id,
      sessionUrl: sessions?.baseUrl ?? null,
      async stop() {
        await broker.stop();
        await runner.stop();
        await sessions?.stop();
      },
    };
  } catch (error) {
    await sessions?.stop();
    throw error;
  }
}
