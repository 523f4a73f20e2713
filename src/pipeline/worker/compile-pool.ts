// Compiles and lints CI files on worker threads, each request within a time and a size budget, so no compile blocks the
// event loop; what only the main thread can read (files, other projects, remote files) it answers while the worker waits.
import { availableParallelism } from "node:os";
import type { LintResult, PipelineContext } from "../types.ts";
import type { CompileReply, CompileRequest, HostCall, OpenAnswer, PooledCompileResult } from "./protocol.ts";
import {
  ANSWER_TOO_LARGE,
  ANSWERED,
  CALL_DONE,
  CALL_FAILED,
  CTL_WORDS,
  FILE_ABSENT,
  LENGTH,
  STATE,
  STATUS,
} from "./protocol.ts";
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
/** Room in the shared buffer for one answer (an included file's text, a repository's paths). */
const ANSWER_BUFFER_BYTES = 4 * 1024 * 1024;
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

/**
 * A repository as the main thread serves it to a compile on the pool: the compiler's `RepositoryFiles`, but a read
 * may answer later (a git read that does not block the event loop).
 */
export interface ServedFiles {
  read(path: string): string | null | Promise<string | null>;
  list(): string[];
  /** As `RepositoryFiles.changedSince` (`rules:changes:compare_to`), answered now or later. */
  changedSince?(ref: string): string[] | null | Promise<string[] | null>;
  sha?: string;
  release?: string;
}

/**
 * What the main thread does for a compile besides reading its repository's files: for a pipeline's user, open other
 * projects (`include:project`, `include:component`; the access check is the opener's) and fetch remote files.
 */
export interface IncludeHost {
  /** Another project's files at `ref`, as `RepositoryFiles.openProject` answers; absent: no project can be opened. */
  openProject?(project: string, ref: string): Promise<ServedFiles | "not_found" | "no_ref">;
  /** An `include:remote` file's text, or GitLab's message for why it could not be had; absent: none is read. */
  fetchRemote?(url: string): Promise<{ text: string } | { error: string }>;
  /** Names of masked variables (`expand_vars` does not expand them). */
  masked?: readonly string[];
  /** Lint only: the variables known before a ref (include paths and component addresses are written with them). */
  variables?: Record<string, string>;
}

type Outcome = { lint: LintResult } | { compile: PooledCompileResult } | { failed: string };

interface Task {
  request: CompileRequest;
  host: IncludeHost;
  /** The repositories the worker reads: the pipeline's own first, then each project it opened. */
  scopes: (ServedFiles | null)[];
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
  /** Wall time the current task spent waiting for the main thread's answers (not compiling), in ms. */
  waited: number;
  /** When the call the worker now waits on was asked; null while it compiles. */
  asked: number | null;
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
    repo: ServedFiles | null,
    maxJobs = Infinity,
    host: IncludeHost = {},
  ): Promise<LintResult> {
    const refusal = this.sizeRefusal(content);
    if (refusal) return { valid: false, errors: [refusal], warnings: [], merged_yaml: "" };
    const variables = host.variables ?? {};
    const outcome = await this.run({ ...NO_SOURCES, id: 0, op: "lint", content, maxJobs, variables }, repo, host);
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
    repo: ServedFiles | null,
    maxJobs = Infinity,
    host: IncludeHost = {},
  ): Promise<PooledCompileResult> {
    const refusal = this.sizeRefusal(content);
    if (refusal) return { ok: false, errors: [{ message: refusal }], warnings: [] };
    const outcome = await this.run({ ...NO_SOURCES, id: 0, op: "compile", content, ctx, maxJobs }, repo, host);
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

  private run(request: CompileRequest, repo: ServedFiles | null, host: IncludeHost): Promise<Outcome> {
    const sources = {
      id: this.nextId++,
      repoPaths: repo?.list() ?? null,
      projects: host.openProject !== undefined,
      remote: host.fetchRemote !== undefined,
      masked: [...(host.masked ?? [])],
    };
    return new Promise((done) => {
      this.queue.push({ request: { ...request, ...sources }, host, scopes: [repo], done });
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
    const shared = new SharedArrayBuffer(CTL_WORDS * 4 + ANSWER_BUFFER_BYTES);
    const slot: Slot = {
      worker,
      ctl: new Int32Array(shared, 0, CTL_WORDS),
      data: new Uint8Array(shared, CTL_WORDS * 4),
      ready: false,
      tid: null,
      task: null,
      timer: null,
      waited: 0,
      asked: null,
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
      if ("call" in reply) return void this.answer(slot, task, reply.call);
      this.finish(index, reply);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.replace(index, { failed: `the CI configuration could not be compiled: ${event.message}` });
    };
    this.slots[index] = slot;
    return slot;
  }

  /**
   * Answers a worker's call into the shared buffer and wakes it. The time until then is the main thread's (a git
   * read, a fetch), not the compile's: it is kept out of the task's budget.
   */
  private async answer(slot: Slot, task: Task, call: HostCall): Promise<void> {
    const asked = performance.now();
    slot.asked = asked;
    let status = ANSWERED;
    let text: string | null;
    try {
      text = await this.serve(task, call);
      if (text === null) status = FILE_ABSENT;
    } catch (error) {
      status = CALL_FAILED;
      text = error instanceof Error ? error.message : String(error);
    }
    // The worker may have been ended meanwhile (its budget, the pool closed): nobody waits for this answer then.
    if (slot.task !== task || !this.slots.includes(slot)) return;
    slot.waited += performance.now() - asked;
    slot.asked = null;
    let length = 0;
    if (text !== null) {
      const bytes = new TextEncoder().encode(text);
      if (bytes.length > slot.data.length) status = ANSWER_TOO_LARGE;
      else {
        slot.data.set(bytes);
        length = bytes.length;
      }
    }
    Atomics.store(slot.ctl, STATUS, status);
    Atomics.store(slot.ctl, LENGTH, length);
    Atomics.store(slot.ctl, STATE, CALL_DONE);
    Atomics.notify(slot.ctl, STATE);
  }

  /** The text that answers `call`: a file's text (null: absent), or JSON. */
  private async serve(task: Task, call: HostCall): Promise<string | null> {
    if (call.op === "remote") {
      // A worker asks only when the request said remote files are read.
      if (!task.host.fetchRemote) throw new Error("this compile reads no remote files");
      return JSON.stringify(await task.host.fetchRemote(call.url));
    }
    if (call.op === "open") {
      const opened = (await task.host.openProject?.(call.project, call.ref)) ?? "not_found";
      if (typeof opened === "string") return JSON.stringify(opened satisfies OpenAnswer);
      task.scopes.push(opened);
      const answer: OpenAnswer = { scope: task.scopes.length - 1, sha: opened.sha, release: opened.release };
      return JSON.stringify(answer);
    }
    if (call.op === "changed") {
      const changed = (await task.scopes[0]?.changedSince?.(call.ref)) ?? null;
      return changed === null ? null : JSON.stringify(changed);
    }
    const repo = task.scopes[call.scope];
    if (call.op === "list") return JSON.stringify(repo?.list() ?? []);
    return (await repo?.read(call.path)) ?? null;
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

  /**
   * Refuses the slot's compile once it used its CPU budget (or its wall-clock cap); checks again until then. Time
   * spent waiting for the main thread's answers counts against neither (waiting uses no CPU, and the wall clock
   * leaves it out).
   */
  private watch(index: number, slot: Slot): void {
    const startedAt = performance.now();
    const cpuAtStart = slot.tid === null ? null : threadCpuMs(slot.tid);
    slot.waited = 0;
    slot.asked = null;
    const check = (delay: number) => {
      slot.timer = setTimeout(() => {
        const at = performance.now();
        const wall = at - startedAt - slot.waited - (slot.asked === null ? 0 : at - slot.asked);
        const cpu = cpuAtStart === null || slot.tid === null ? null : threadCpuMs(slot.tid);
        const used = cpu === null || cpuAtStart === null ? wall : cpu - cpuAtStart;
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

/** A request's sources before the pool fills them in. */
const NO_SOURCES = { repoPaths: null, projects: false, remote: false, masked: [] };

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
