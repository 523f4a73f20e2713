// `porthole attach <job URL> [--token T]`: a running job's terminal in this terminal (raw mode, resize, detach keys).
import { readFileSync, writeSync } from "node:fs";
import { parseArgs } from "node:util";
import { closeReasonWords, notRunningReason } from "../domain/status-words.ts";

const USAGE = `usage: porthole attach <job URL> [--token T] [--mode rw|ro] [--ca-file PEM]
  Opens the job's terminal here. Detach with Ctrl-] or ~. at the start of a line; a piped stdin detaches at its end.
  The token comes from --token or PORTHOLE_TOKEN (a personal access token with the api scope).
  --ca-file (or PORTHOLE_CA_FILE) names PEM certificates to trust besides the system's, e.g. a private CA.`;

const CTRL_RIGHT_BRACKET = 0x1d;
const ACK_EVERY = 16 * 1024;

interface Target {
  wsUrl: string;
  /**
   * The job's API URL, once for each place a relative URL root may end (`https://host/ci/root/p/-/jobs/1` is job 1
   * of `ci/root/p` at the root, or of `root/p` under `/ci`): the first that knows the job is the one.
   */
  apiUrls: string[];
}

/** `http(s)://host/<ns>/<project>/-/jobs/<id>[/terminal]` → the WebSocket and the job's API URL. */
function targetOf(jobUrl: string, mode: string | undefined): Target | string {
  let url: URL;
  try {
    url = new URL(jobUrl);
  } catch {
    return `not a URL: ${jobUrl}`;
  }
  const m = url.pathname.match(/^\/(.+)\/([^/]+)\/-\/jobs\/(\d+)(?:\/terminal(?:\.ws)?)?\/?$/);
  if (!m || !/^https?:$/.test(url.protocol))
    return `not a job URL (expected http(s)://host/<namespace>/<project>/-/jobs/<id>): ${jobUrl}`;
  const query = new URLSearchParams({
    flow: "ack",
    cols: String(process.stdout.columns ?? 80),
    rows: String(process.stdout.rows ?? 24),
  });
  if (mode) query.set("mode", mode);
  const base = `${url.protocol === "https:" ? "wss" : "ws"}://${url.host}`;
  return {
    wsUrl: `${base}/${m[1]}/${m[2]}/-/jobs/${m[3]}/terminal.ws?${query}`,
    apiUrls: m[1]!.split("/").map((_, i, segments) => {
      const root = segments
        .slice(0, i)
        .map((x) => `/${x}`)
        .join("");
      const project = decodeURIComponent(`${segments.slice(i).join("/")}/${m[2]}`);
      return `${url.origin}${root}/api/v4/projects/${encodeURIComponent(project)}/jobs/${m[3]}`;
    }),
  };
}

/** Asks the API first, because a refused WebSocket does not say why. Returns a problem, or null when it may work. */
async function preflight(apiUrls: string[], token: string, ca: string | undefined): Promise<string | null> {
  let res: Response | Error = new Error("no API URL");
  let isApi = false;
  for (const apiUrl of apiUrls) {
    res = await fetch(apiUrl, {
      headers: { "PRIVATE-TOKEN": token },
      tls: ca ? { ca } : undefined,
      redirect: "manual",
    }).catch((e: Error) => e);
    // Not the API (a page, a redirect to sign in, a proxy's 404): the root is elsewhere.
    isApi = !(res instanceof Error) && (res.headers.get("content-type")?.includes("json") ?? false);
    if (res instanceof Error || (isApi && res.status !== 404)) break;
  }
  if (res instanceof Error) return `cannot reach the server: ${res.message}`;
  if (res.status === 401) return "the token was not accepted (401)";
  if (res.status === 403 || res.status === 404 || !isApi) return "no such job, or no access to it";
  if (!res.ok) return `the server answered ${res.status}`;
  const job = (await res.json()) as { status: string };
  if (job.status === "running") return null;
  if (job.status !== "pending" && job.status !== "created") return notRunningReason(job.status);
  console.error(`porthole attach: the job is ${job.status}; waiting (up to 60 s) for the job's environment…`);
  return null; // the server holds the upgrade until the terminal is offered
}

/** Splits typed bytes into what goes to the shell, and whether a detach key (Ctrl-], or ~. after a newline) came. */
function detachScanner() {
  let atLineStart = true;
  let tildeHeld = false;
  return (bytes: Uint8Array): { send: Uint8Array<ArrayBuffer>; detach: boolean } => {
    const out: number[] = [];
    for (const b of bytes) {
      if (b === CTRL_RIGHT_BRACKET) return { send: Uint8Array.from(out), detach: true };
      if (tildeHeld) {
        tildeHeld = false;
        if (b === 0x2e) return { send: Uint8Array.from(out), detach: true };
        out.push(0x7e);
      } else if (atLineStart && b === 0x7e) {
        tildeHeld = true;
        continue;
      }
      out.push(b);
      atLineStart = b === 0x0d || b === 0x0a;
    }
    return { send: Uint8Array.from(out), detach: false };
  };
}

function parseAttachArgs(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      token: { type: "string" },
      mode: { type: "string" },
      "ca-file": { type: "string" },
      help: { type: "boolean" },
    },
  });
}

/** Prints `porthole attach: <problem>` and gives the exit code. */
function fail(problem: string, code: number): number {
  console.error(`porthole attach: ${problem}`);
  return code;
}

export async function runAttach(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseAttachArgs>;
  try {
    parsed = parseAttachArgs(args);
  } catch (e) {
    console.error(`porthole attach: ${(e as Error).message}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  const [jobUrl, ...extra] = parsed.positionals;
  const token = parsed.values.token ?? process.env.PORTHOLE_TOKEN;
  const mode = parsed.values.mode;
  const problem =
    !jobUrl || extra.length
      ? "give exactly one job URL"
      : !token
        ? "no token: pass --token or set PORTHOLE_TOKEN"
        : mode !== undefined && mode !== "rw" && mode !== "ro"
          ? `--mode must be rw or ro, not ${mode}`
          : null;
  if (problem) return fail(`${problem}\n${USAGE}`, 2);
  const target = targetOf(jobUrl!, mode);
  if (typeof target === "string") return fail(target, 2);
  const ca = readCaFile(parsed.values["ca-file"] || process.env.PORTHOLE_CA_FILE || undefined);
  if (ca instanceof Error) return fail(ca.message, 2);
  const refused = await preflight(target.apiUrls, token!, ca);
  if (refused) return fail(refused, 1);
  return session(target.wsUrl, token!, ca);
}

/** The PEM text of `--ca-file`/PORTHOLE_CA_FILE, or an error naming the file. */
function readCaFile(path: string | undefined): string | undefined | Error {
  if (!path) return undefined;
  try {
    const pem = readFileSync(path, "utf8");
    return pem.includes("-----BEGIN CERTIFICATE-----") ? pem : new Error(`--ca-file ${path}: no PEM certificate in it`);
  } catch (e) {
    return new Error(`--ca-file ${path}: ${(e as Error).message}`);
  }
}

function session(wsUrl: string, token: string, ca: string | undefined): Promise<number> {
  const ws = new WebSocket(wsUrl, {
    protocols: ["porthole.terminal.v1"],
    headers: { "PRIVATE-TOKEN": token },
    tls: ca ? { ca } : undefined,
  } as unknown as string[]);
  ws.binaryType = "arraybuffer";
  const stdin = process.stdin;
  const scan = detachScanner();
  let processed = 0;
  let acked = 0;
  let why = "";
  const resize = () =>
    ws.send(JSON.stringify({ type: "resize", cols: process.stdout.columns, rows: process.stdout.rows }));
  const onInput = (chunk: Buffer) => {
    const { send, detach } = scan(chunk);
    if (send.length) ws.send(send);
    if (detach) ws.close(1000, "client_closed");
  };
  // A piped or redirected stdin that ends detaches, so `porthole attach </dev/null` does not hold the job forever.
  const onEnd = () => {
    if (ws.readyState === WebSocket.OPEN) ws.close(1000, "client_closed");
  };
  ws.onopen = () => {
    if (stdin.isTTY) stdin.setRawMode(true);
    else stdin.once("end", onEnd);
    stdin.on("data", onInput).resume();
    process.stdout.on("resize", resize);
  };
  ws.onmessage = ({ data }) => {
    if (typeof data === "string") {
      const message = JSON.parse(data) as {
        type: string;
        reason?: string;
        code?: number | null;
        message?: string;
        mode?: string;
      };
      // Writing (from the start, or handed control later): the session takes this window's size.
      const writes = (message.type === "hello" || message.type === "mode") && message.mode === "rw";
      if (writes && process.stdout.isTTY) resize();
      if (message.type === "hello" && message.mode === "ro") why = "watched read-only";
      if (message.type === "closing") why = `closed: ${closeReasonWords(message.reason ?? "")}`;
      if (message.type === "exit") why = `the shell exited with code ${message.code ?? "?"}`;
      if (message.type === "error") process.stderr.write(`\r\nporthole attach: ${message.message}\r\n`);
      return;
    }
    const bytes = new Uint8Array(data as ArrayBuffer);
    process.stdout.write(bytes, () => {
      processed += bytes.length;
      if (processed - acked < ACK_EVERY && bytes.length >= ACK_EVERY) return;
      acked = processed;
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "ack", bytes: processed }));
    });
  };
  return new Promise((resolve) => {
    ws.onclose = (event) => {
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.off("data", onInput).off("end", onEnd).pause();
      process.stdout.off("resize", resize);
      const opened = event.code !== 1006 || processed > 0;
      writeSync(2, `\r\nporthole attach: ${opened ? why || "detached" : "the server refused the terminal"}\r\n`);
      resolve(opened ? 0 : 1);
    };
  });
}
