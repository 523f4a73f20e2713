// The compile pool's worker: compiles or lints one CI file at a time; `include:local` reads are asked of the main thread.
import { compilePipeline } from "../compile.ts";
import { countPlainJobs, jobLimitMessage } from "../job-limit.ts";
import { lintPipeline } from "../lint.ts";
import type { RepositoryFiles } from "../types.ts";
import type { CompileReply, CompileRequest } from "./protocol.ts";
import { FILE_ABSENT, FILE_TOO_LARGE, READ_WAITING } from "./protocol.ts";
import { niceThisThread, thisThreadId } from "./thread-priority.ts";

declare const self: Worker;

/** The compile threads' nice value (the main thread keeps 0). */
const COMPILE_NICE = 15;

let ctl: Int32Array;
let data: Uint8Array;

/** Blocks this worker until the main thread has put `path`'s text into the shared buffer. */
function readThroughMain(id: number, path: string): string | null {
  Atomics.store(ctl, 0, READ_WAITING);
  self.postMessage({ id, read: path });
  Atomics.wait(ctl, 0, READ_WAITING);
  const length = ctl[1]!;
  if (length === FILE_ABSENT) return null;
  if (length === FILE_TOO_LARGE) throw new Error(`${path} is too large to include`);
  return new TextDecoder().decode(data.slice(0, length));
}

/** Asks the main thread which files changed since `ref` (answered as JSON in the shared buffer). */
function changedThroughMain(id: number, ref: string): string[] | null {
  Atomics.store(ctl, 0, READ_WAITING);
  self.postMessage({ id, changedSince: ref });
  Atomics.wait(ctl, 0, READ_WAITING);
  const length = ctl[1]!;
  if (length === FILE_TOO_LARGE) throw new Error("rules:changes:compare_to: too many files changed to compare");
  if (length < 0) return null;
  return JSON.parse(new TextDecoder().decode(data.slice(0, length))) as string[] | null;
}

function repoFor(id: number, paths: string[] | null): RepositoryFiles | null {
  if (!paths) return null;
  return {
    list: () => paths,
    read: (path) => readThroughMain(id, path),
    changedSince: (ref) => changedThroughMain(id, ref),
  };
}

function run(message: CompileRequest): CompileReply {
  const { id } = message;
  try {
    const repo = repoFor(id, message.repoPaths);
    if (message.op === "lint") return { id, lint: lintPipeline(message.content, repo, message.maxJobs) };
    const plainJobs = countPlainJobs(message.content);
    if (plainJobs !== null && plainJobs > message.maxJobs)
      return {
        id,
        compile: { ok: false, errors: [{ message: jobLimitMessage(plainJobs, message.maxJobs) }], warnings: [] },
      };
    const result = compilePipeline(message.content, message.ctx, repo);
    return { id, compile: result.ok ? { ok: true, plan: result.plan } : result };
  } catch (error) {
    return { id, failed: error instanceof Error ? error.message : String(error) };
  }
}

self.onmessage = ({ data: message }: MessageEvent<CompileRequest | { shared: SharedArrayBuffer }>) => {
  if ("shared" in message) {
    ctl = new Int32Array(message.shared, 0, 2);
    data = new Uint8Array(message.shared, 8);
    return;
  }
  self.postMessage(run(message));
};
// Two compiles on two cores must not starve the event loop of CPU: it wins every scheduling decision against them.
niceThisThread(COMPILE_NICE);
self.postMessage({ ready: true, tid: thisThreadId() });
