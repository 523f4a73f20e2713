// Test and bench helper: an in-memory Coordinator with a real trace buffer that checks offsets as the server does.
import type { Coordinator, JobPayload, JobResult, RunnerInfo } from "../domain/coordinator.ts";

export interface MemoryCoordinator extends Coordinator {
  /** Queues a job for the next requestJob. */
  enqueue(job: JobPayload): void;
  /** The job's log so far, as text. */
  trace(jobId: number): string;
  /** Resolves with the job's result when finishJob is called. */
  result(jobId: number): Promise<JobResult>;
  /** Uploaded archives by `<job id>/<type>`; downloadArtifacts serves the `archive` ones. */
  readonly uploads: Map<string, Uint8Array>;
  /** Cancels the job as the server would (the runner's watchCancel callback fires). */
  cancel(jobId: number): void;
  /** When each job was handed out and when its first bytes arrived (performance.now()). */
  readonly timings: Map<number, { handedOut: number; firstByte?: number }>;
  /** Broken promises seen so far: an append after finishJob, finishJob twice. */
  readonly orderViolations: string[];
}

export function createMemoryCoordinator(): MemoryCoordinator {
  const queue: JobPayload[] = [];
  const waiting = new Set<() => void>();
  const traces = new Map<number, Uint8Array[]>();
  const sizes = new Map<number, number>();
  const results = new Map<number, { promise: Promise<JobResult>; resolve: (r: JobResult) => void }>();
  const cancelers = new Map<number, () => void>();
  const canceled = new Set<number>();
  const finished = new Set<number>();
  const timings = new Map<number, { handedOut: number; firstByte?: number }>();
  const orderViolations: string[] = [];

  const resultOf = (jobId: number) => {
    let r = results.get(jobId);
    if (!r) {
      const { promise, resolve } = Promise.withResolvers<JobResult>();
      r = { promise, resolve };
      results.set(jobId, r);
    }
    return r;
  };

  const uploads = new Map<string, Uint8Array>();
  return {
    timings,
    orderViolations,
    uploads,
    enqueue(job) {
      queue.push(job);
      for (const wake of waiting) wake();
    },
    async requestJob(_runner: RunnerInfo, signal: AbortSignal) {
      while (!signal.aborted) {
        const job = queue.shift();
        if (job) {
          timings.set(job.id, { handedOut: performance.now() });
          return job;
        }
        await new Promise<void>((wake) => {
          const done = () => {
            waiting.delete(done);
            signal.removeEventListener("abort", done);
            wake();
          };
          waiting.add(done);
          signal.addEventListener("abort", done, { once: true });
        });
      }
      return null;
    },
    async appendTrace(jobId, offset, bytes) {
      const size = sizes.get(jobId) ?? 0;
      if (finished.has(jobId)) orderViolations.push(`job ${jobId}: append after finishJob`);
      if (offset !== size) throw new Error(`job ${jobId}: append at ${offset}, but the log has ${size} bytes`);
      const timing = timings.get(jobId);
      if (timing && timing.firstByte === undefined) timing.firstByte = performance.now();
      traces.set(jobId, [...(traces.get(jobId) ?? []), bytes.slice()]);
      sizes.set(jobId, size + bytes.length);
    },
    async finishJob(jobId, result) {
      if (finished.has(jobId)) orderViolations.push(`job ${jobId}: finishJob twice`);
      finished.add(jobId);
      resultOf(jobId).resolve(result);
    },
    async uploadArtifacts(jobId, upload) {
      uploads.set(`${jobId}/${upload.type}`, upload.bytes);
    },
    async downloadArtifacts(_jobId, dependencyId) {
      return uploads.get(`${dependencyId}/archive`) ?? null;
    },
    watchCancel(jobId, onCancel) {
      if (canceled.has(jobId)) queueMicrotask(onCancel);
      else cancelers.set(jobId, onCancel);
      return () => cancelers.delete(jobId);
    },
    trace: (jobId) => Buffer.concat(traces.get(jobId) ?? []).toString(),
    result: (jobId) => resultOf(jobId).promise,
    cancel(jobId) {
      canceled.add(jobId);
      const onCancel = cancelers.get(jobId);
      cancelers.delete(jobId);
      onCancel?.();
    },
  };
}

/** A job payload with sensible defaults: a `group/project` without repository, no variables, 1 h timeout. */
export function makeJob(id: number, overrides: Partial<JobPayload> = {}): JobPayload {
  return {
    id,
    token: `glcbt-test-token-${id}`,
    name: "test",
    stage: "test",
    pipelineId: 1,
    projectId: 1,
    projectPath: "group/project",
    sources: { kind: "none" },
    beforeScript: [],
    script: ["true"],
    afterScript: [],
    services: [],
    variables: [],
    timeoutSeconds: 3600,
    artifacts: [],
    dependencies: [],
    artifactLimits: { maxFiles: 10_000, maxBytes: 100 * 1024 * 1024 },
    ...overrides,
  };
}
