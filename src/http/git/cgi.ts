// Runs `git http-backend` (git's smart-HTTP CGI program) for one request and turns its CGI output into a Response.
import type { Subprocess } from "bun";

export interface CgiRequest {
  /** Folder holding the bare repositories (GIT_PROJECT_ROOT). */
  projectRoot: string;
  /** `/<repo>.git/info/refs` or `/<repo>.git/git-upload-pack`, relative to projectRoot. */
  pathInfo: string;
  request: Request;
  remoteUser: string;
  remoteAddr: string;
  /** `-c` settings for this run (a push enables `http.receivepack`). */
  config?: readonly string[];
  /** The request body when the caller already read it. */
  body?: Uint8Array;
}

/** Splits CGI output into its header block and the rest of the stream. */
async function readHeaders(reader: ReadableStreamDefaultReader<Uint8Array>) {
  let buffered = new Uint8Array(0);
  for (;;) {
    const text = new TextDecoder("latin1").decode(buffered);
    const end = text.search(/\r?\n\r?\n/);
    if (end >= 0) {
      const sep = /\r?\n\r?\n/.exec(text.slice(end))![0].length;
      return { head: text.slice(0, end), rest: buffered.subarray(end + sep) };
    }
    const { value, done } = await reader.read();
    if (done) return { head: text, rest: new Uint8Array(0) };
    const next = new Uint8Array(buffered.length + value.length);
    next.set(buffered);
    next.set(value, buffered.length);
    buffered = next;
  }
}

export async function runGitHttpBackend(req: CgiRequest): Promise<Response> {
  const url = new URL(req.request.url);
  const h = req.request.headers;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_PROJECT_ROOT: req.projectRoot,
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: req.pathInfo,
    REQUEST_METHOD: req.request.method,
    QUERY_STRING: url.search.replace(/^\?/, ""),
    CONTENT_TYPE: h.get("content-type") ?? "",
    REMOTE_USER: req.remoteUser,
    REMOTE_ADDR: req.remoteAddr,
  };
  const protocol = h.get("git-protocol");
  if (protocol) env.GIT_PROTOCOL = protocol;
  const encoding = h.get("content-encoding");
  if (encoding) env.HTTP_CONTENT_ENCODING = encoding;
  const body = req.body ?? (req.request.method === "POST" ? new Uint8Array(await req.request.arrayBuffer()) : null);
  // No hook of a repository ever runs: pushes are followed up by the server itself.
  const config = ["core.hooksPath=/dev/null", ...(req.config ?? [])].flatMap((setting) => ["-c", setting]);
  const proc: Subprocess<"pipe", "pipe", "ignore"> = Bun.spawn(["git", ...config, "http-backend"], {
    env,
    stdin: "pipe",
    stdout: "pipe",
    stderr: "ignore",
  });
  if (body) proc.stdin.write(body);
  proc.stdin.end();
  const reader = proc.stdout.getReader();
  const { head, rest } = await readHeaders(reader);
  const headers = new Headers();
  let status = 200;
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i <= 0) continue;
    const name = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 500;
    else headers.append(name, value);
  }
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (rest.length) controller.enqueue(rest);
    },
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel() {
      proc.kill();
    },
  });
  return new Response(stream, { status, headers });
}
