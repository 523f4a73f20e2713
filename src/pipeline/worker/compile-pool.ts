// Compiles and lints CI files on worker threads, each request within a time and a size budget, so no compile blocks the event loop.
import { availableParallelism } from "node:os";
import type { IncludeSources, LintResult, PipelineContext, RepositoryFiles } from "../types.ts";
import type { CompileReply, CompileRequest, OpenedProject, PooledCompileResult } from "./protocol.ts";
import {
  FILE_ABSENT,
  FILE_TOO_LARGE,
  PROJECT_FAILED,
  PROJECT_NO_REF,
  PROJECT_NOT_FOUND,
  READ_DONE,
  REMOTE_NOT_FETCHED,
} from "./protocol.ts";

/** What the pool fills in on every request. */
type Shared = Pick<CompileRequest, "id" | "repoPaths" | "projects" | "remote" | "masked">;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

import { threadCpuMs } from "./thread-priority.ts";

/** GitLab's limit on a CI file's size; a larger one is refused before it is parsed. */
export const DEFAULT_MAX_CONFIG_BYTES = 2 * 1024 * 1024;
/**
 * The CPU time one compile may use before its worker is ended and the request refused. CPU time, not wall time:
 * the compile threads run at a low priority, so on a busy host they wait longer without costing more.
 */
export const DEFAULT_COMPILE_TIMEOUT_MS = 10_000;
/** A compile is refused after this many times its budget in wall time, however little CPU it got. */
const WALL_CLOCK_FACTOR = 6;
/** Room in the shared buffer for one included file's text. */
const READ_BUFFER_BYTES = 4 * 1024 * 1024;
/**
 * The worker's entry point. Inside the single binary (package.json's build lists it as a second entry point) it is
 * found by its path from `src/`, the bundle's root; from source, beside this file.
 */
const WORKER_ENTRY = Bun.main.startsWith("/$bunfs/")
  ? "./pipeline/worker/compile.worker.ts"
  : new URL("./compile.worker.ts", import.meta.url).href;

export interface CompilePoolOptions {
  workers?: number;
  timeoutMs?: number;
  maxConfigBytes?: number;
}

type Outcome = { lint: LintResult } | { compile: PooledCompileResult } | { failed: string };

/**
 * A compile's request with what the worker asks the main thread for: the repository's files, other projects
 * (`repo.openProject`, for include:project and include:component) and include:remote files (`sources.remote`).
 */
interface Task {
  request: CompileRequest;
  repo: RepositoryFiles | null;
  sources: IncludeSources;
  /** Projects opened for this compile; handle n is opened[n - 1] (0 is the pipeline's own repository). */
  opened: RepositoryFiles[];
  done(outcome: Outcome): void;
}

interface Slot {
  worker: Worker & { ref(): void; unref(): void };
  ctl: Int32Array;
  data: Uint8Array;
  /** The worker has loaded the compiler (its start-up is not part of any request's budget). */
  ready: boolean;
  /** The worker thread's kernel id, when it could tell. */
  tid: number | null;
  task: Task | null;
  timer: ReturnType<typeof setTimeout> | null;
}

export class CompilePool {
  private readonly slots: (Slot | null)[];
  private readonly queue: Task[] = [];
  private readonly timeoutMs: number;
  private readonly maxConfigBytes: number;
  private nextId = 1;

  constructor(options: CompilePoolOptions = {}) {
    this.slots = Array.from({ length: options.workers ?? Math.min(2, availableParallelism()) }, () => null);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_COMPILE_TIMEOUT_MS;
    this.maxConfigBytes = options.maxConfigBytes ?? DEFAULT_MAX_CONFIG_BYTES;
  }

  /** lintPipeline on a worker. */
  async lint(
    content: string,
    repo: RepositoryFiles | null,
    maxJobs = Infinity,
    variables: Record<string, string> = {},
    sources: IncludeSources = {},
  ): Promise<LintResult> {
    const refusal = this.sizeRefusal(content);
    if (refusal) return { valid: false, errors: [refusal], warnings: [], merged_yaml: "" };
    const outcome = await this.run({ op: "lint", content, maxJobs, variables }, repo, sources);
    if ("lint" in outcome) return outcome.lint;
    const message = "failed" in outcome ? outcome.failed : "unexpected compile reply";
    return { valid: false, errors: [message], warnings: [], merged_yaml: "" };
  }

  /**
   * compilePipeline on a worker (without the merged YAML, which only lint prints). A plain file of more than
   * `maxJobs` jobs is refused from its text; the caller still checks the plan's job count.
   */
  async compile(
    content: string,
    ctx: PipelineContext,
    repo: RepositoryFiles | null,
    maxJobs = Infinity,
    sources: IncludeSources = {},
  ): Promise<PooledCompileResult> {
    const refusal = this.sizeRefusal(content);
    if (refusal) return { ok: false, errors: [{ message: refusal }], warnings: [] };
    const outcome = await this.run({ op: "compile", content, ctx, maxJobs }, repo, sources);
    if ("compile" in outcome) return outcome.compile;
    const message = "failed" in outcome ? outcome.failed : "unexpected compile reply";
    return { ok: false, errors: [{ message }], warnings: [] };
  }

  /** Ends every worker; queued requests are refused. */
  close(): void {
    for (const [index, slot] of this.slots.entries()) {
      if (!slot) continue;
      if (slot.timer) clearTimeout(slot.timer);
      slot.task?.done({ failed: "the compile pool was closed" });
      slot.worker.terminate();
      this.slots[index] = null;
    }
    for (const task of this.queue.splice(0)) task.done({ failed: "the compile pool was closed" });
  }

  private sizeRefusal(content: string): string | null {
    const bytes = Buffer.byteLength(content);
    if (bytes <= this.maxConfigBytes) return null;
    return `The CI configuration is ${megabytes(bytes)}, more than the limit of ${megabytes(this.maxConfigBytes)}`;
  }

  private run(
    request: DistributiveOmit<CompileRequest, keyof Shared>,
    repo: RepositoryFiles | null,
    sources: IncludeSources,
  ): Promise<Outcome> {
    return new Promise((done) => {
      const repoPaths = repo?.list() ?? null;
      const shared: Shared = {
        id: this.nextId++,
        repoPaths,
        projects: repoPaths !== null && repo?.openProject !== undefined,
        remote: sources.remote !== undefined,
        masked: [...(sources.masked ?? [])],
      };
      this.queue.push({ request: { ...request, ...shared } as CompileRequest, repo, sources, opened: [], done });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const [index, current] of this.slots.entries()) {
      if (this.queue.length === 0) return;
      if (current && (current.task || !current.ready)) continue;
      if (!current) {
        this.spawn(index);
        continue;
      }
      const slot = current;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.ref();
      this.watch(index, slot);
      slot.worker.postMessage(task.request);
    }
  }

  private spawn(index: number): Slot {
    const worker = new Worker(WORKER_ENTRY) as Slot["worker"];
    const shared = new SharedArrayBuffer(8 + READ_BUFFER_BYTES);
    const slot: Slot = {
      worker,
      ctl: new Int32Array(shared, 0, 2),
      data: new Uint8Array(shared, 8),
      ready: false,
      tid: null,
      task: null,
      timer: null,
    };
    worker.postMessage({ shared });
    worker.onmessage = ({ data: reply }: MessageEvent<CompileReply>) => {
      if ("ready" in reply) {
        slot.ready = true;
        slot.tid = reply.tid;
        slot.worker.unref();
        return this.dispatch();
      }
      const task = slot.task;
      if (!task || task.request.id !== reply.id) return;
      if ("read" in reply) return this.answerRead(slot, task, reply.repo, reply.read);
      if ("open" in reply) return this.answerOpen(slot, task, reply.open.project, reply.open.ref);
      if ("remote" in reply) return this.answerRemote(slot, task, reply.remote);
      if ("changedSince" in reply) return this.answerChanged(slot, task, reply.changedSince);
      this.finish(index, reply);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.replace(index, { failed: `the CI configuration could not be compiled: ${event.message}` });
    };
    this.slots[index] = slot;
    return slot;
  }

  /** Puts an included file's text (of the pipeline's repository, or of a project opened before) into the buffer. */
  private answerRead(slot: Slot, task: Task, repo: number, path: string): void {
    const files = repo === 0 ? task.repo : task.opened[repo - 1];
    const text = files?.read(path) ?? null;
    this.answer(slot, text ?? FILE_ABSENT);
  }

  /**
   * `include:project` / `include:component`: opens the project on this thread (the access check and the mirror live
   * here) and answers with a handle for its reads, its file list, its commit and release.
   */
  private answerOpen(slot: Slot, task: Task, project: string, ref: string): void {
    this.answer(slot, this.openProject(task, project, ref));
  }

  private openProject(task: Task, project: string, ref: string): string | number {
    let opened: ReturnType<NonNullable<RepositoryFiles["openProject"]>>;
    try {
      opened = task.repo?.openProject?.(project, ref) ?? "not_found";
    } catch {
      return PROJECT_FAILED;
    }
    if (opened === "not_found") return PROJECT_NOT_FOUND;
    if (opened === "no_ref") return PROJECT_NO_REF;
    task.opened.push(opened);
    const answer: OpenedProject = {
      handle: task.opened.length,
      paths: opened.list(),
      ...(opened.sha ? { sha: opened.sha } : {}),
      ...(opened.release ? { release: opened.release } : {}),
    };
    return JSON.stringify(answer);
  }

  /** `include:remote`: the file as this thread's cache has it, or "not fetched yet" (the caller fetches, compiles again). */
  private answerRemote(slot: Slot, task: Task, url: string): void {
    const found = task.sources.remote?.get(url);
    this.answer(slot, found === undefined ? REMOTE_NOT_FETCHED : JSON.stringify(found));
  }

  /** `rules:changes:compare_to`: the pipeline repository's diff since `ref` as JSON, or FILE_ABSENT for no such ref. */
  private answerChanged(slot: Slot, task: Task, ref: string): void {
    const changed = task.repo?.changedSince?.(ref) ?? null;
    this.answer(slot, changed === null ? FILE_ABSENT : JSON.stringify(changed));
  }

  /** Writes `text` (or a marker) into the slot's shared buffer and wakes the worker waiting for it. */
  private answer(slot: Slot, text: string | number): void {
    let length = typeof text === "number" ? text : FILE_TOO_LARGE;
    if (typeof text === "string") {
      const bytes = new TextEncoder().encode(text);
      if (bytes.length <= slot.data.length) {
        slot.data.set(bytes);
        length = bytes.length;
      }
    }
    Atomics.store(slot.ctl, 1, length);
    Atomics.store(slot.ctl, 0, READ_DONE);
    Atomics.notify(slot.ctl, 0);
  }

  private finish(index: number, outcome: Outcome): void {
    const slot = this.slots[index]!;
    if (slot.timer) clearTimeout(slot.timer);
    const task = slot.task!;
    slot.task = null;
    slot.timer = null;
    slot.worker.unref();
    task.done(outcome);
    this.dispatch();
  }

  /** Refuses the slot's compile once it used its CPU budget (or its wall-clock cap); checks again until then. */
  private watch(index: number, slot: Slot): void {
    const startedAt = performance.now();
    const cpuAtStart = slot.tid === null ? null : threadCpuMs(slot.tid);
    const check = (delay: number) => {
      slot.timer = setTimeout(() => {
        const wall = performance.now() - startedAt;
        const now = cpuAtStart === null || slot.tid === null ? null : threadCpuMs(slot.tid);
        const used = now === null || cpuAtStart === null ? wall : now - cpuAtStart;
        if (used >= this.timeoutMs || wall >= this.timeoutMs * WALL_CLOCK_FACTOR) this.overrun(index);
        else check(Math.max(20, this.timeoutMs - used));
      }, delay);
    };
    check(this.timeoutMs);
  }

  private overrun(index: number): void {
    const seconds = Math.round(this.timeoutMs / 100) / 10;
    this.replace(index, { failed: `The CI configuration took too long to compile (${seconds} s budget)` });
  }

  /** Ends a worker that overran or crashed, refuses its request, and lets the next request start a fresh one. */
  private replace(index: number, outcome: Outcome): void {
    const slot = this.slots[index];
    if (!slot) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.worker.terminate();
    this.slots[index] = null;
    slot.task?.done(outcome);
    this.dispatch();
  }
}

/** `2 MB`, `1.4 MB`, or `900 KB` below a megabyte. */
export function megabytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

let shared: CompilePool | null = null;

/** The process's pool, started on first use. */
export function compilePool(): CompilePool {
  shared ??= new CompilePool();
  return shared;
}
