// The terminal page: a full-window xterm.js attached to a running job's shell, with a status bar.
import { FitAddon } from "@xterm/addon-fit";
import { SearchAddon } from "@xterm/addon-search";
import { WebLinksAddon } from "@xterm/addon-web-links";
import { Terminal } from "@xterm/xterm";
import { closeReasonWords, notRunningReason } from "../src/domain/status-words.ts";
import { type ServerMessage, TerminalConnection } from "./terminal-connection.ts";

const $ = (id: string) => document.getElementById(id)!;
/** The relative URL root (`/ci` behind a proxy at a path, "" at the root), as the server wrote it into the page. */
const root = (document.querySelector<HTMLMetaElement>('meta[name="porthole-root"]')?.dataset.path ?? "/").replace(
  /\/$/,
  "",
);
const pagePath = location.pathname.startsWith(`${root}/`) ? location.pathname.slice(root.length) : location.pathname;
const match = pagePath.match(/^\/(.+)\/([^/]+)\/-\/jobs\/(\d+)\/terminal\/?$/);
const [projectPath, jobId] = match ? [`${match[1]}/${match[2]}`, match[3]!] : ["", ""];
const mode = new URLSearchParams(location.search).get("mode");

const term = new Terminal({ cursorBlink: true, scrollback: 5000, fontFamily: "monospace", allowProposedApi: true });
const fit = new FitAddon();
const search = new SearchAddon();
term.loadAddon(fit);
term.loadAddon(search);
term.loadAddon(new WebLinksAddon());
term.open($("terminal"));
fit.fit();
let writable = false;

/** The status bar; who is writing or watching is shown only while connected (a closed page has no one). */
function setState(state: string, text: string, reason = ""): void {
  if (state !== "rw" && state !== "ro") $("presence").textContent = "";
  $("state").dataset.state = state;
  $("state").textContent = text;
  $("reason").textContent = reason;
}

/** Closes that are refusals: the page says so and does not offer the terminal again. */
const REFUSALS: Record<string, string> = {
  access_revoked: "your access ended (token revoked, signed out, blocked, or role or membership changed)",
};

function wsUrl(): string {
  const query = new URLSearchParams({ flow: "ack", cols: String(term.cols), rows: String(term.rows) });
  if (mode === "rw" || mode === "ro") query.set("mode", mode);
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${location.pathname.replace(/\/$/, "")}.ws?${query}`;
}

const connection = new TerminalConnection(wsUrl, {
  output: (bytes, done) => term.write(bytes, done),
  control(message: ServerMessage) {
    if (message.type === "hello") {
      writable = message.mode === "rw";
      term.reset();
      setState(message.mode, message.mode === "rw" ? "connected" : "watching (read-only)");
      showPresence(message);
      if (writable) connection.resize(term.cols, term.rows);
    } else if (message.type === "presence") showPresence(message);
    else if (message.type === "exit") term.write(`\r\n[shell exited with code ${message.code ?? "?"}]\r\n`);
    else if (message.type === "error") $("reason").textContent = message.message;
  },
  async closed({ reason, final, retryInMs }) {
    writable = false;
    if (reason && REFUSALS[reason]) return setState("refused", "access revoked", `: ${REFUSALS[reason]}`);
    if (final) return setState("closed", "closed", reason ? `: ${closeReasonWords(reason)}` : "");
    const refusal = await whyRefused();
    if (refusal) {
      connection.stop();
      return setState("refused", "not available", `: ${refusal}`);
    }
    setState("closed", "disconnected", `: reconnecting in ${Math.round(retryInMs / 100) / 10}s`);
  },
});

function showPresence(p: { writers: number; viewers: number }): void {
  $("presence").textContent = `${p.writers} writing, ${p.viewers} watching`;
}

/** The page's preflight answers (…/terminal/check) that end the page: what to say instead of reconnecting. */
const PREFLIGHT_REFUSALS: Record<string, string> = {
  unauthorized: "sign in first",
  forbidden: "You are not allowed to open this terminal",
  not_found: "no such job, or no access to it",
};

/**
 * Before connecting and after a failed connection: a reason not to retry (signed out, no access, job no longer
 * running), asked of the server's preflight because a browser cannot read why a WebSocket was refused.
 */
async function whyRefused(): Promise<string | null> {
  void showJobName();
  try {
    const res = await fetch(`${location.pathname.replace(/\/$/, "")}/check`, { cache: "no-store" });
    if (res.ok) return null;
    const answer = (await res.json()) as { reason?: string; jobStatus?: string };
    if (answer.reason === "not_running") return notRunningReason(answer.jobStatus ?? "unknown");
    // The socket waits (up to 60 s) for the terminal to be offered; say so meanwhile.
    if (answer.reason === "not_offered") setState("waiting", "waiting for the job's environment…");
    return (answer.reason && PREFLIGHT_REFUSALS[answer.reason]) || null;
  } catch {
    return null; // the network is down: keep retrying
  }
}

/** The job's name in the status bar, when the API shows it to this user. */
async function showJobName(): Promise<void> {
  const res = await fetch(`${root}/api/v4/projects/${encodeURIComponent(projectPath)}/jobs/${jobId}`).catch(() => null);
  if (!res?.ok) return;
  const job = (await res.json()) as { name: string };
  $("job-link").textContent = `${job.name} #${jobId}`;
}

term.onData((data) => writable && connection.send(new TextEncoder().encode(data)));
term.onBinary((data) => writable && connection.send(Uint8Array.from(data, (ch) => ch.charCodeAt(0))));
term.onResize(({ cols, rows }) => writable && connection.resize(cols, rows));
term.attachCustomKeyEventHandler((event) => {
  if (event.type !== "keydown" || !event.ctrlKey || !event.shiftKey) return true;
  if (event.code === "KeyC") {
    void navigator.clipboard?.writeText(term.getSelection());
    return false;
  }
  if (event.code === "KeyF") {
    $("search-input").focus();
    return false;
  }
  return true;
});
addEventListener("resize", () => fit.fit());
$("search").addEventListener("submit", (event) => {
  event.preventDefault();
  search.findNext(($("search-input") as HTMLInputElement).value);
});
$("job-link").textContent = `job #${jobId}`;
$("job-link").setAttribute("href", `${root}/${projectPath}/-/jobs/${jobId}`);
document.title = `Terminal · job ${jobId} · porthole`;
void whyRefused().then((refusal) =>
  refusal ? setState("refused", "not available", `: ${refusal}`) : connection.start(),
);
term.focus();
