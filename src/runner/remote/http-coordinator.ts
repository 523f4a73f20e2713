// The Coordinator over GitLab's runner protocol: jobs/request long poll, two-phase commit, trace PATCH, final PUT.
import { ArtifactRefused } from "../../domain/artifacts.ts";
import type { Coordinator, JobPayload, JobResult } from "../../domain/coordinator.ts";
import { createLogger, type Logger } from "../../logger.ts";
import { gitlabJobSchema, toJobPayload } from "./gitlab-job.ts";
import { TraceSpool } from "./trace-spool.ts";

/** The `session` object a job request carries: where the server reaches this job's terminal. */
export interface SessionTicket {
  url: string;
  certificate: string;
  authorization: string;
}

/** Hands out a fresh session per job request and learns which job it went to (the session server). */
export interface SessionTickets {
  next(): SessionTicket;
  claim(ticket: SessionTicket, jobId: number): void;
  /** The job has ended: its session path stops answering. */
  done(jobId: number): void;
}

export interface HttpCoordinatorOptions {
  /** The server's base URL (`https://ci.example.com`). */
  url: string;
  /** The runner's authentication token (`glrt-…`). */
  token: string;
  /** `info` sent with every request (name, version, executor…). */
  info: { name: string; version: string; executor: string };
  sessions?: SessionTickets;
  logger?: Logger;
  /** How long one request may take before it counts as a network failure (the long poll adds its own wait). */
  requestTimeoutMs?: number;
  /** How long trace and result calls keep retrying through network failures before giving up. */
  retryForMs?: number;
  /** What one job's artifacts may hold on this runner (`artifacts.max_files`, `artifacts.max_size`). */
  artifactLimits: JobPayload["artifactLimits"];
}

/** Bytes per trace PATCH at most (gitlab-runner's chunk size). */
const MAX_PATCH = 1024 * 1024;
/** How long the server may hold a job request (GitLab: 50 s) plus slack. */
const LONG_POLL_MS = 60_000;
/** Between keep-alive updates of a running job when no trace went out meanwhile (they also carry cancels). */
const DEFAULT_UPDATE_INTERVAL_MS = 3000;

interface RunningJob {
  token: string;
  spool: TraceSpool;
  /** Bytes the server has acknowledged storing. */
  acked: number;
  cancelListeners: Set<() => void>;
  canceled: boolean;
  lastContact: number;
  updateIntervalMs: number;
  keepAlive: ReturnType<typeof setInterval> | null;
  flushing: Promise<void> | null;
}

/** A response the protocol says to stop at: the job is gone or the token was refused. */
class ProtocolRefusal extends Error {}

const FEATURES = {
  variables: true,
  image: true,
  services: true,
  artifacts: true,
  cache: false,
  shared: false,
  upload_multiple_artifacts: true,
  upload_raw_artifacts: false,
  session: true,
  terminal: true,
  refspecs: true,
  masking: true,
  proxy: false,
  raw_variables: true,
  artifacts_exclude: false,
  multi_build_steps: true,
  trace_reset: true,
  trace_checksum: true,
  trace_size: true,
  vault_secrets: false,
  cancelable: true,
  return_exit_code: true,
  service_variables: true,
  two_phase_job_commit: true,
};

/** `0-<size>` from a Range header: the size of the log the server holds. */
function rangeEnd(header: string | null): number | null {
  const match = header?.match(/^0-(\d+)$/);
  return match ? Number(match[1]) : null;
}

export function createHttpCoordinator(opts: HttpCoordinatorOptions): Coordinator & {
  /** `POST /runners/verify`: the runner's id, or an error naming why the server refused. */
  verify(): Promise<{ id: number }>;
} {
  const base = `${opts.url.replace(/\/+$/, "")}/api/v4`;
  const logger = opts.logger ?? createLogger();
  const timeoutMs = opts.requestTimeoutMs ?? 30_000;
  const retryForMs = opts.retryForMs ?? 10 * 60_000;
  const info = { ...opts.info, platform: process.platform, architecture: process.arch, features: FEATURES };
  const jobs = new Map<number, RunningJob>();
  let lastUpdate = "";

  async function call(
    method: string,
    path: string,
    init: {
      body?: unknown;
      raw?: Uint8Array;
      headers?: Record<string, string>;
      signal?: AbortSignal;
      timeoutMs?: number;
    },
  ) {
    const signals = [AbortSignal.timeout(init.timeoutMs ?? timeoutMs)];
    if (init.signal) signals.push(init.signal);
    return fetch(`${base}${path}`, {
      method,
      headers: {
        "user-agent": `porthole-runner ${opts.info.version}`,
        ...(init.raw ? {} : { "content-type": "application/json" }),
        ...init.headers,
      },
      body: init.raw ? Buffer.from(init.raw) : init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.any(signals),
    });
  }

  /** Repeats `attempt` through network failures and 5xx answers (doubling waits) until it returns or refuses. */
  async function persist<T>(what: string, attempt: () => Promise<T | "retry">): Promise<T> {
    const until = Date.now() + retryForMs;
    let wait = 200;
    let failures = 0;
    for (;;) {
      let error: unknown = null;
      try {
        const result = await attempt();
        if (result !== "retry") return result;
      } catch (err) {
        if (err instanceof ProtocolRefusal) throw err;
        error = err;
      }
      if (Date.now() > until)
        throw new Error(`${what}: the server did not answer for ${retryForMs / 1000} s`, { cause: error });
      if (error) logger[failures++ === 0 ? "warn" : "debug"](`${what} failed; retrying`, { wait_ms: wait, error });
      await Bun.sleep(wait);
      wait = Math.min(wait * 2, 5000);
    }
  }

  function noteStatus(job: RunningJob, res: Response) {
    job.lastContact = Date.now();
    const interval = Number(res.headers.get("x-gitlab-trace-update-interval"));
    if (interval >= 1 && interval <= 30) job.updateIntervalMs = interval * 1000;
    const status = res.headers.get("job-status");
    if (status === "canceling" || status === "canceled" || status === "failed") fireCancel(job);
  }

  function fireCancel(job: RunningJob) {
    if (job.canceled) return;
    job.canceled = true;
    for (const listener of job.cancelListeners) listener();
  }

  async function flush(jobId: number, job: RunningJob): Promise<void> {
    while (job.acked < job.spool.size) {
      await persist(`sending the log of job ${jobId}`, async () => {
        const from = job.acked;
        const chunk = job.spool.read(from, MAX_PATCH);
        const res = await call("PATCH", `/jobs/${jobId}/trace`, {
          raw: chunk,
          headers: {
            "content-type": "text/plain",
            "job-token": job.token,
            "content-range": `${from}-${from + chunk.length - 1}`,
          },
        });
        await res.arrayBuffer().catch(() => null);
        if (res.status === 202) {
          noteStatus(job, res);
          job.acked = Math.min(rangeEnd(res.headers.get("range")) ?? from + chunk.length, job.spool.size);
          return;
        }
        if (res.status === 416) {
          // The server holds a different length (an earlier PATCH landed but its answer was lost): go on from there.
          const held = rangeEnd(res.headers.get("range"));
          if (held === null || held > job.spool.size)
            throw new ProtocolRefusal(`job ${jobId}: trace range refused (${res.headers.get("range")})`);
          job.acked = held;
          return;
        }
        if (res.status === 403 || res.status === 404) {
          fireCancel(job);
          throw new ProtocolRefusal(`job ${jobId}: the server refused its log (${res.status})`);
        }
        return "retry";
      });
    }
  }

  function keepAlive(jobId: number, job: RunningJob) {
    job.keepAlive = setInterval(() => {
      if (Date.now() - job.lastContact < job.updateIntervalMs || job.canceled) return;
      job.lastContact = Date.now();
      call("PUT", `/jobs/${jobId}`, { body: { token: job.token, state: "running", info } })
        .then(async (res) => {
          await res.arrayBuffer().catch(() => null);
          if (res.status === 403 || res.status === 404) fireCancel(job);
          else noteStatus(job, res);
        })
        .catch((error) => logger.debug("job keep-alive failed", { job: jobId, error }));
    }, 1000);
  }

  function forget(jobId: number) {
    const job = jobs.get(jobId);
    if (!job) return;
    if (job.keepAlive) clearInterval(job.keepAlive);
    job.spool.dispose();
    jobs.delete(jobId);
    opts.sessions?.done(jobId);
  }

  /** The answer to the final PUT: done, or retry (202: the server has not stored all chunks yet; 412: resend). */
  async function sendResult(jobId: number, job: RunningJob, result: JobResult) {
    const body = {
      token: job.token,
      info,
      ...stateOf(result),
      output: { checksum: job.spool.checksum(), bytesize: job.spool.size },
    };
    await persist(`reporting the result of job ${jobId}`, async () => {
      const res = await call("PUT", `/jobs/${jobId}`, { body });
      await res.arrayBuffer().catch(() => null);
      if (res.status === 200) return;
      if (res.status === 403 || res.status === 404)
        throw new ProtocolRefusal(`job ${jobId}: the server refused its result (${res.status})`);
      if (res.status === 412) {
        job.acked = 0; // the server's copy does not match: send it all again
        await flush(jobId, job);
      } else if (res.status === 202) {
        const interval = Number(res.headers.get("x-gitlab-trace-update-interval"));
        await Bun.sleep(interval >= 1 && interval <= 30 ? interval * 1000 : 1000);
      }
      return "retry";
    });
  }

  return {
    async verify() {
      const res = await call("POST", "/runners/verify", { body: { token: opts.token, system_id: systemId() } });
      const text = await res.text();
      if (res.status !== 200 && res.status !== 201) {
        throw new Error(`the server refused the runner token (${res.status} ${text.slice(0, 200)})`);
      }
      const id = Number((JSON.parse(text) as { id?: unknown }).id);
      if (!Number.isInteger(id) || id <= 0)
        throw new Error(`the server's verify answer has no runner id: ${text.slice(0, 200)}`);
      return { id };
    },

    async requestJob(_runner, signal) {
      const ticket = opts.sessions?.next();
      let res: Response;
      try {
        res = await call("POST", "/jobs/request", {
          body: {
            token: opts.token,
            info,
            last_update: lastUpdate,
            system_id: systemId(),
            ...(ticket ? { session: ticket } : {}),
          },
          headers: { "runner-token": opts.token },
          signal,
          timeoutMs: LONG_POLL_MS,
        });
      } catch (err) {
        if (signal.aborted) return null;
        throw err;
      }
      const text = await res.text();
      lastUpdate = res.headers.get("x-gitlab-last-update") ?? lastUpdate;
      if (res.status === 204 || res.status === 409 || res.status === 503) return null;
      if (res.status !== 201) throw new Error(`jobs/request answered ${res.status}: ${text.slice(0, 200)}`);
      const parsed = gitlabJobSchema.safeParse(JSON.parse(text));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`jobs/request: unreadable job at ${issue?.path.join(".")}: ${issue?.message}`);
      }
      const payload: JobPayload = toJobPayload(parsed.data, opts.artifactLimits);
      const job: RunningJob = {
        token: payload.token,
        spool: new TraceSpool(),
        acked: 0,
        cancelListeners: new Set(),
        canceled: false,
        lastContact: Date.now(),
        updateIntervalMs: DEFAULT_UPDATE_INTERVAL_MS,
        keepAlive: null,
        flushing: null,
      };
      // Two-phase commit: the job is ours once the server accepts `running`; otherwise it went elsewhere.
      const accepted = await call("PUT", `/jobs/${payload.id}`, {
        body: { token: payload.token, state: "running", info },
      })
        .then(async (r) => {
          await r.arrayBuffer().catch(() => null);
          const status = r.headers.get("job-status");
          return r.status === 200 && status !== "canceled" && status !== "canceling" && status !== "failed";
        })
        .catch(() => false);
      if (!accepted) {
        job.spool.dispose();
        logger.warn("the server took a job back before it started", { job: payload.id });
        return null;
      }
      jobs.set(payload.id, job);
      if (ticket) opts.sessions?.claim(ticket, payload.id);
      keepAlive(payload.id, job);
      return payload;
    },

    async appendTrace(jobId, offset, bytes) {
      const job = jobs.get(jobId);
      if (!job) throw new Error(`job ${jobId} is not running on this runner`);
      // An append repeated after a failure adds only what the spool does not have yet.
      if (offset > job.spool.size)
        throw new Error(`trace of job ${jobId}: append at ${offset}, spool has ${job.spool.size}`);
      const fresh = bytes.subarray(Math.min(bytes.length, job.spool.size - offset));
      if (fresh.length > 0) job.spool.append(fresh);
      while (job.flushing) await job.flushing.catch(() => {}); // a failed flush is reported by its own caller
      job.flushing = flush(jobId, job).finally(() => {
        job.flushing = null;
      });
      await job.flushing;
    },

    async finishJob(jobId, result) {
      const job = jobs.get(jobId);
      if (!job) throw new Error(`job ${jobId} is not running on this runner`);
      try {
        while (job.flushing) await job.flushing.catch(() => {}); // a failed flush is reported by its own caller
        await flush(jobId, job).catch((error) =>
          logger.warn("the log could not be sent completely", { job: jobId, error }),
        );
        await sendResult(jobId, job, result);
      } finally {
        forget(jobId);
      }
    },

    async uploadArtifacts(jobId, upload) {
      const job = jobs.get(jobId);
      if (!job) throw new Error(`job ${jobId} is not running on this runner`);
      const form = new FormData();
      form.append("file", new Blob([Buffer.from(upload.bytes)]), "artifacts.zip");
      const query = new URLSearchParams({ artifact_format: "zip", artifact_type: upload.type });
      const res = await fetch(`${base}/jobs/${jobId}/artifacts?${query}`, {
        method: "POST",
        headers: { "job-token": job.token, "user-agent": `porthole-runner ${opts.info.version}` },
        body: form,
        signal: AbortSignal.timeout(10 * 60_000),
      });
      const text = await res.text();
      if (res.status === 201 || res.status === 200) return;
      const message = (() => {
        try {
          return String((JSON.parse(text) as { message?: unknown }).message ?? text);
        } catch {
          return text;
        }
      })();
      if (res.status === 413 || res.status === 400 || res.status === 403)
        throw new ArtifactRefused(message, res.status);
      throw new Error(`uploading artifacts of job ${jobId}: ${res.status} ${message.slice(0, 200)}`);
    },

    async downloadArtifacts(jobId, dependencyId) {
      const job = jobs.get(jobId);
      if (!job) throw new Error(`job ${jobId} is not running on this runner`);
      const res = await fetch(`${base}/jobs/${dependencyId}/artifacts`, {
        headers: { "job-token": job.token, "user-agent": `porthole-runner ${opts.info.version}` },
        signal: AbortSignal.timeout(10 * 60_000),
      });
      if (res.status === 200) return new Uint8Array(await res.arrayBuffer());
      const text = await res.text();
      if (res.status === 404) return null;
      if (res.status === 410 || res.status === 403) throw new ArtifactRefused(text.slice(0, 200), res.status);
      throw new Error(`downloading artifacts of job ${dependencyId}: ${res.status} ${text.slice(0, 200)}`);
    },

    watchCancel(jobId, onCancel) {
      const job = jobs.get(jobId);
      if (!job) return () => {};
      if (job.canceled) {
        queueMicrotask(onCancel);
        return () => {};
      }
      const once = () => {
        job.cancelListeners.delete(once);
        onCancel();
      };
      job.cancelListeners.add(once);
      return () => job.cancelListeners.delete(once);
    },
  };
}

/** GitLab's final states: success, or failed with a reason (a cancel is reported as failed/job_canceled… by name). */
function stateOf(result: JobResult) {
  if (result.status === "success") return { state: "success" };
  if (result.status === "canceled") return { state: "canceled" };
  return {
    state: "failed",
    failure_reason: result.failureReason,
    ...(result.exitCode === undefined ? {} : { exit_code: result.exitCode }),
  };
}

let cachedSystemId: string | null = null;
/** `r_<12 chars>`: gitlab-runner's per-process system id, stable for this process. */
function systemId(): string {
  cachedSystemId ??= `r_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  return cachedSystemId;
}
