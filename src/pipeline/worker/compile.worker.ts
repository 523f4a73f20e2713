// The compile pool's worker: compiles or lints one CI file at a time; repository files, other projects and remote files are asked of the main thread.
import { compilePipeline } from "../compile.ts";
import { countPlainJobs, jobLimitMessage } from "../job-limit.ts";
import { lintPipeline } from "../lint.ts";
import type { IncludeSources, RemoteFiles, RepositoryFiles } from "../types.ts";
import type { CompileReply, CompileRequest } from "./protocol.ts";
import {
  FILE_ABSENT,
  FILE_TOO_LARGE,
  type OpenedProject,
  PROJECT_FAILED,
  PROJECT_NO_REF,
  PROJECT_NOT_FOUND,
  READ_WAITING,
  REMOTE_NOT_FETCHED,
} from "./protocol.ts";
import { niceThisThread, thisThreadId } from "./thread-priority.ts";

declare const self: Worker;

/** The compile threads' nice value (the main thread keeps 0). */
const COMPILE_NICE = 15;

let ctl: Int32Array;
let data: Uint8Array;

/** Blocks this worker until the main thread has answered `message` in the shared buffer; returns its length/marker. */
function askMain(message: CompileReply): number {
  Atomics.store(ctl, 0, READ_WAITING);
  self.postMessage(message);
  Atomics.wait(ctl, 0, READ_WAITING);
  return ctl[1]!;
}

const answerText = (length: number) => new TextDecoder().decode(data.slice(0, length));

/** A file of the pipeline's repository (`repo` 0) or of an opened project, read by the main thread. */
function readThroughMain(id: number, repo: number, path: string): string | null {
  const length = askMain({ id, read: path, repo });
  if (length === FILE_ABSENT) return null;
  if (length === FILE_TOO_LARGE) throw new Error(`${path} is too large to include`);
  return answerText(length);
}

/** `include:project`: the main thread checks the user's access and opens the project's mirror at the ref. */
function openThroughMain(id: number, project: string, ref: string): RepositoryFiles | "not_found" | "no_ref" {
  const length = askMain({ id, open: { project, ref } });
  if (length === PROJECT_NOT_FOUND) return "not_found";
  if (length === PROJECT_NO_REF) return "no_ref";
  if (length === PROJECT_FAILED) throw new Error(`Project \`${project}\` could not be read`);
  if (length === FILE_TOO_LARGE) throw new Error(`Project \`${project}\` has too many files to include from`);
  const { handle, paths, sha, release } = JSON.parse(answerText(length)) as OpenedProject;
  return {
    list: () => paths,
    read: (path) => readThroughMain(id, handle, path),
    ...(sha ? { sha } : {}),
    ...(release ? { release } : {}),
  };
}

/** What includes use besides the repository: `include:remote` files as the main thread has fetched them. */
function sourcesFor(message: CompileRequest): IncludeSources {
  const { id } = message;
  const remote: RemoteFiles = {
    get(url) {
      const length = askMain({ id, remote: url });
      if (length === REMOTE_NOT_FETCHED) return undefined;
      if (length === FILE_TOO_LARGE) return { error: `Remote file \`${url}\` is too large to include` };
      return JSON.parse(answerText(length)) as { text: string } | { error: string };
    },
  };
  return { ...(message.remote ? { remote } : {}), masked: new Set(message.masked) };
}

/** `rules:changes:compare_to`: the files changed since `ref`, as the main thread's repository diffs them. */
function changedThroughMain(id: number, ref: string): string[] | null {
  const length = askMain({ id, changedSince: ref });
  if (length === FILE_ABSENT) return null;
  if (length === FILE_TOO_LARGE) throw new Error("rules:changes:compare_to: too many files changed to compare");
  return JSON.parse(answerText(length)) as string[];
}

function repoFor(message: CompileRequest): RepositoryFiles | null {
  const { id, repoPaths, projects } = message;
  if (!repoPaths) return null;
  const repo: RepositoryFiles = {
    list: () => repoPaths,
    read: (path) => readThroughMain(id, 0, path),
    changedSince: (ref) => changedThroughMain(id, ref),
  };
  if (projects) repo.openProject = (project, ref) => openThroughMain(id, project, ref);
  return repo;
}

function run(message: CompileRequest): CompileReply {
  const { id } = message;
  try {
    const repo = repoFor(message);
    const sources = sourcesFor(message);
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
    ctl = new Int32Array(message.shared, 0, 2);
    data = new Uint8Array(message.shared, 8);
    return;
  }
  self.postMessage(run(message));
};
// Two compiles on two cores must not starve the event loop of CPU: it wins every scheduling decision against them.
niceThisThread(COMPILE_NICE);
self.postMessage({ ready: true, tid: thisThreadId() });
