// The compile pool's worker: compiles or lints one CI file at a time; files, other projects and remote files are
// asked of the main thread.
import { compilePipeline } from "../compile.ts";
import { countPlainJobs, jobLimitMessage } from "../job-limit.ts";
import { lintPipeline } from "../lint.ts";
import type { IncludeSources, RemoteFiles, RepositoryFiles } from "../types.ts";
import type { CompileReply, CompileRequest, HostCall, OpenAnswer } from "./protocol.ts";
import {
  ANSWER_TOO_LARGE,
  CALL_FAILED,
  CALL_WAITING,
  CTL_WORDS,
  FILE_ABSENT,
  LENGTH,
  STATE,
  STATUS,
} from "./protocol.ts";
import { niceThisThread, thisThreadId } from "./thread-priority.ts";

declare const self: Worker;

/** The compile threads' nice value (the main thread keeps 0). */
const COMPILE_NICE = 15;

let ctl: Int32Array;
let data: Uint8Array;

/** Blocks this worker until the main thread has answered `call` in the shared buffer; null for an absent file. */
function ask(id: number, call: HostCall): string | null {
  Atomics.store(ctl, STATE, CALL_WAITING);
  self.postMessage({ id, call });
  Atomics.wait(ctl, STATE, CALL_WAITING);
  const status = ctl[STATUS];
  if (status === FILE_ABSENT) return null;
  if (status === ANSWER_TOO_LARGE)
    throw new Error(
      call.op === "read" ? `${call.path} is too large to include` : `the answer to ${call.op} is too large`,
    );
  const text = new TextDecoder().decode(data.slice(0, ctl[LENGTH]));
  if (status === CALL_FAILED) throw new Error(text);
  return text;
}

function askJson<T>(id: number, call: HostCall): T {
  return JSON.parse(ask(id, call) ?? "null") as T;
}

/** A repository the main thread reads: scope 0 is the pipeline's own, which alone can open other projects. */
function repository(id: number, scope: number, paths: string[] | null, projects: boolean): RepositoryFiles {
  let listed = paths;
  const files: RepositoryFiles = {
    read: (path) => ask(id, { op: "read", scope, path }),
    list: () => {
      listed ??= askJson<string[]>(id, { op: "list", scope });
      return listed;
    },
  };
  if (scope !== 0) return files;
  files.changedSince = (ref) => {
    try {
      const changed = ask(id, { op: "changed", ref });
      return changed === null ? null : (JSON.parse(changed) as string[]);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith("the answer to"))) throw error;
      throw new Error("rules:changes:compare_to: too many files changed to compare");
    }
  };
  if (!projects) return files;
  files.openProject = (project, ref) => {
    let opened: OpenAnswer;
    try {
      opened = askJson<OpenAnswer>(id, { op: "open", project, ref });
    } catch {
      // What went wrong on the main thread (a database, a mirror) is its log's business, not the pipeline's.
      throw new Error(`Project \`${project}\` could not be read`);
    }
    if (typeof opened === "string") return opened;
    const other = repository(id, opened.scope, null, false);
    if (opened.sha !== undefined) other.sha = opened.sha;
    if (opened.release !== undefined) other.release = opened.release;
    return other;
  };
  return files;
}

function remoteFiles(id: number): RemoteFiles {
  const fetched = new Map<string, { text: string } | { error: string }>();
  return {
    get(url) {
      const found = fetched.get(url) ?? askJson<{ text: string } | { error: string }>(id, { op: "remote", url });
      fetched.set(url, found);
      return found;
    },
  };
}

function run(message: CompileRequest): CompileReply {
  const { id } = message;
  try {
    const repo = message.repoPaths ? repository(id, 0, message.repoPaths, message.projects) : null;
    const sources: IncludeSources = { masked: new Set(message.masked) };
    if (message.remote) sources.remote = remoteFiles(id);
    if (message.op === "lint")
      return { id, lint: lintPipeline(message.content, repo, message.maxJobs, message.variables, sources) };
    const plainJobs = countPlainJobs(message.content);
    if (plainJobs !== null && plainJobs > message.maxJobs)
      return {
        id,
        compile: { ok: false, errors: [{ message: jobLimitMessage(plainJobs, message.maxJobs) }], warnings: [] },
      };
    const result = compilePipeline(message.content, message.ctx, repo, sources);
    return { id, compile: result.ok ? { ok: true, plan: result.plan } : result };
  } catch (error) {
    return { id, failed: error instanceof Error ? error.message : String(error) };
  }
}

self.onmessage = ({ data: message }: MessageEvent<CompileRequest | { shared: SharedArrayBuffer }>) => {
  if ("shared" in message) {
    ctl = new Int32Array(message.shared, 0, CTL_WORDS);
    data = new Uint8Array(message.shared, CTL_WORDS * 4);
    return;
  }
  self.postMessage(run(message));
};
// Two compiles on two cores must not starve the event loop of CPU: it wins every scheduling decision against them.
niceThisThread(COMPILE_NICE);
self.postMessage({ ready: true, tid: thisThreadId() });
