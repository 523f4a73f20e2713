// The queue's composition: the pipeline service, the in-process coordinator, events and delayed-job timers.
import type { Coordinator } from "../domain/coordinator.ts";
import { createLogger, type Logger } from "../logger.ts";
import type { TraceStore } from "../logs/trace-store.ts";
import type { ArtifactStore } from "../store/artifacts.ts";
import type { Db } from "../store/db.ts";
import { repositoriesOf, transaction } from "../store/repositories.ts";
import { recoverBridges, runBridge } from "./bridges.ts";
import type { QueueContext } from "./context.ts";
import { createPipeline, lintProjectConfig, projectRepository } from "./create-pipeline.ts";
import { watchDeployments } from "./deployments.ts";
import { createAutoStopper, stopEnvironment } from "./environment-stop.ts";
import { createQueueEvents, type QueueEventBus } from "./events.ts";
import { createGitMirror } from "./git-mirror.ts";
import { importAllowlist } from "./import-target.ts";
import { cancelJob, playJob, releaseDueJobs, retryJob } from "./job-actions.ts";
import { createJobQueue } from "./job-queue.ts";
import { createCancelWatchers, createLocalCoordinator } from "./local-coordinator.ts";
import { createMirrorPoller } from "./mirror-poller.ts";
import { cancelPipeline, deletePipeline, retryPipeline } from "./pipeline-actions.ts";
import { auditedPush } from "./push-pipeline.ts";
import { failOrphanedJobs } from "./recover.ts";
import { createRemoteJobs, type RemoteJobOptions, type RemoteJobs } from "./remote-jobs.ts";
import { assignResource, assignWaitingResources, watchResourceGroups } from "./resource-groups.ts";
import { createScheduleRunner } from "./schedule-runner.ts";
import type { PipelineService } from "./types.ts";

export interface QueueOptions {
  db: Db;
  traces: TraceStore;
  artifacts: ArtifactStore;
  externalUrl: string;
  defaultTimeoutSeconds: number;
  /** Jobs one pipeline may hold; default 1000. */
  maxJobsPerPipeline?: number;
  /** Private hosts and ranges a non-admin's import_url may still reach (`limits.import_url_allowlist`). */
  importUrlAllowlist?: readonly string[];
  /** `include:remote` may fetch `http://` URLs too (`limits.include_remote_http`); HTTPS only when absent. */
  includeRemoteHttp?: boolean;
  /** Where project repositories are mirrored. */
  reposDir: string;
  /** The clock pipeline schedules run by (tests: shifted); Date.now when absent. */
  now?: () => number;
  /** Where failing event listeners are reported; standard error at info when absent. */
  logger?: Logger;
  /** Long-poll and lease times of remote runners (GitLab's runner protocol); 50 s and 60 s when absent. */
  remote?: RemoteJobOptions;
}

export interface Queue {
  service: PipelineService;
  coordinator: Coordinator;
  events: QueueEventBus;
  /** Jobs of remote runners: the same queue and coordinator, under leases. */
  remote: RemoteJobs;
  /** Fails jobs a crashed run left running and restarts delayed-job timers; returns the failed job ids. */
  recover(): number[];
  stop(): void;
}

export function createQueue(opts: QueueOptions): Queue {
  const logger = opts.logger ?? createLogger();
  const events = createQueueEvents(logger);
  const cancels = createCancelWatchers();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let timerAt = Infinity;
  const q: QueueContext = {
    repos: repositoriesOf(opts.db),
    db: opts.db,
    transaction: (work) => transaction(opts.db, work),
    traces: opts.traces,
    artifacts: opts.artifacts,
    events,
    externalUrl: opts.externalUrl,
    reposDir: opts.reposDir,
    defaultTimeoutSeconds: opts.defaultTimeoutSeconds,
    maxJobsPerPipeline: opts.maxJobsPerPipeline ?? 1000,
    remoteIncludes: {
      allowlist: importAllowlist(opts.importUrlAllowlist ?? []),
      allowHttp: opts.includeRemoteHttp ?? false,
    },
    jobsReleased: () => queueMicrotask(() => jobQueue.wake()),
    bridgeReleased: (jobId) =>
      queueMicrotask(() =>
        runBridge(q, (input) => createPipeline(q, mirror, input), jobId).catch((error) =>
          logger.error("a bridge could not create its downstream pipeline", { error, job: jobId }),
        ),
      ),
    jobCanceled: (jobId) => cancels.fire(jobId),
    scheduleWakeup(at) {
      if (at >= timerAt) return;
      if (timer) clearTimeout(timer);
      timerAt = at;
      timer = setTimeout(onTimer, Math.max(0, at - Date.now()));
    },
  };
  function onTimer() {
    timer = null;
    timerAt = Infinity;
    const next = releaseDueJobs(q);
    if (next !== null) q.scheduleWakeup(next);
  }
  const jobQueue = createJobQueue(q);
  const mirror = createGitMirror(opts.reposDir, importAllowlist(opts.importUrlAllowlist ?? []));
  const schedules = createScheduleRunner(q, (input) => createPipeline(q, mirror, input), opts.now ?? Date.now, logger);
  const poller = createMirrorPoller(q, mirror, opts.now ?? Date.now, logger);
  const autoStopper = createAutoStopper(q, opts.now ?? Date.now, logger);
  const unwatch = [watchResourceGroups(q, logger), watchDeployments(q, () => autoStopper.wake())];
  const service: PipelineService = {
    create: (input) => createPipeline(q, mirror, input),
    // Even its audit entry can fail (a store closing under a push still running): logged, never a stray rejection.
    push: (input, via) =>
      auditedPush(q, mirror, input, via).catch((error) => {
        logger.error("a push could not be recorded", { error, project: input.projectId, ref: input.ref });
        return null;
      }),
    playSchedule: (id, userId) => schedules.play(id, userId),
    schedulesChanged: () => schedules.wake(),
    lint: (projectId, content, userId) => lintProjectConfig(q, mirror, projectId, content, userId ?? null),
    repository: (projectId, userId) => projectRepository(q, mirror, projectId, userId),
    cancelPipeline: (id) => cancelPipeline(q, id),
    retryPipeline: (id, userId) => retryPipeline(q, id, userId),
    deletePipeline: (id) => deletePipeline(q, id),
    cancelJob: (id) => cancelJob(q, id),
    retryJob: (id, userId, breakpoint) => retryJob(q, id, userId, breakpoint),
    playJob: (id, userId, variables) => playJob(q, id, userId, variables),
    stopEnvironment: (environment, userId, force) => stopEnvironment(q, environment, userId, force),
    resourceGroupChanged: (projectId, key) => void assignResource(q, projectId, key),
  };
  const coordinator = createLocalCoordinator(q, jobQueue, cancels);
  const remote = createRemoteJobs(
    q,
    jobQueue,
    coordinator,
    opts.remote ?? { longPollMs: 50_000, leaseMs: 60_000 },
    logger,
  );
  return {
    service,
    coordinator,
    events,
    remote,
    recover() {
      const failed = failOrphanedJobs(q);
      recoverBridges(q);
      onTimer();
      assignWaitingResources(q);
      remote.start();
      return failed;
    },
    stop() {
      if (timer) clearTimeout(timer);
      schedules.stop();
      poller.stop();
      autoStopper.stop();
      for (const off of unwatch) off();
      remote.stop();
    },
  };
}
