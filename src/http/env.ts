// The app's dependencies and the per-request context every API handler reads (deps, actor, client address).

import type { Server } from "bun";
import type { Context } from "hono";
import type { Actor } from "../auth/actor.ts";
import type { PortholeConfig } from "../config/schema.ts";
import type { Logger } from "../logger.ts";
import type { TraceStore } from "../logs/trace-store.ts";
import type { RemoteJobs } from "../queue/remote-jobs.ts";
import type { PipelineService, QueueEvents } from "../queue/types.ts";
import type { ArtifactStore } from "../store/artifacts.ts";
import type { Store } from "../store/db.ts";
import type { DebugControl } from "./debug-control.ts";
import type { OpsMetrics } from "./ops/metrics.ts";

/** What createApp needs; boot.ts builds it. */
export interface AppDeps {
  store: Store;
  pipelines: PipelineService;
  traces: TraceStore;
  artifacts: ArtifactStore;
  events: QueueEvents;
  config: PortholeConfig;
  version: string;
  /** Where failed requests (and, with `log.access`, every request) are logged; built from `config.log` when absent. */
  logger?: Logger;
  /** How long a finished job's live log stays open without output before it ends (default 3 s; tests: short). */
  liveLogQuietMs?: number;
  /** The /-/metrics registry; createApp makes one when absent (boot passes one fed by the runner and terminals). */
  metrics?: OpsMetrics;
  /** Whether the embedded runner is taking jobs (the readiness check); assumed so when absent. */
  runnerRunning?: () => boolean;
  /** The queue's side of GitLab's runner protocol; without it the runner API answers 503. */
  remoteJobs?: RemoteJobs;
  /** When a job held for an attached terminal is released (the job page shows it); none when absent. */
  terminalHold?: (jobId: number) => { endsAt: Date } | null;
  /** Jobs waiting for a terminal at a breakpoint or after a failure (Continue ends a wait); none when absent. */
  debugControl?: DebugControl;
}

export interface ApiEnv {
  /**
   * startHttpServer passes the Bun server and `stopping`, aborted when the server begins to stop (open streams end
   * then); app.request() in tests passes nothing.
   */
  Bindings: { server?: Server<unknown>; stopping?: AbortSignal } | undefined;
  Variables: {
    deps: AppDeps;
    /** null: anonymous (only public projects' read routes allow it). Set by the authenticate middleware. */
    actor: Actor | null;
    /** The merged query and body parameters, parsed once (see readParams). */
    params: Record<string, unknown>;
  };
}

export type ApiContext = Context<ApiEnv>;

/** The caller's IP address, when the request came through a real socket (API and page contexts alike). */
export function clientIp(c: { env: ApiEnv["Bindings"]; req: { raw: Request } }): string | null {
  return c.env?.server?.requestIP(c.req.raw)?.address ?? null;
}
