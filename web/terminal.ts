// The terminal page: a full-window xterm.js attached to a running job's shell, with a status bar.
import { FitAddon } from "@xterm/addon-fit";
import { SearchAddon } from "@xterm/addon-search";
import { WebLinksAddon } from "@xterm/addon-web-links";
import { Terminal } from "@xterm/xterm";
import { closeReasonWords, notRunningReason } from "../src/domain/status-words.ts";
import { type ServerMessage, TerminalConnection } from "./terminal-connection.ts";
import { hideRoles, showRoles } from "./terminal-roles.ts";

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
/** A read-only share link's token: the page only watches. */
const share = new URLSearchParams(location.search).get("share");

const term = new Terminal({ cursorBlink: true, scrollback: 5000, fontFamily: "monospace", allowProposedApi: true });
const fit = new FitAddon();
const search = new SearchAddon();
term.loadAddon(fit);
term.loadAddon(search);
term.loadAddon(new WebLinksAddon());
term.open($("terminal"));
fit.fit();
/** For browser tests and the console: the screen as xterm holds it (`portholeTerminal.buffer.active`). */
Object.assign(globalThis, { portholeTerminal: term });
let writable = false;
/** The session's size (the writer's): a watcher draws at it, whatever its own window. */
let sessionSize: { cols: number; rows: number } | null = null;
let you = 0;

/**
 * The writer's terminal fits its window and sets the session's size; a watcher's terminal takes the session's
 * size, scrolls when its window is smaller (and says so) and is letterboxed when it is larger.
 */
function layout(): void {
  const box = $("terminal");
  const notice = $("size-notice");
  if (writable || !sessionSize) {
    box.classList.remove("session-size");
    notice.hidden = true;
    fit.fit();
    return;
  }
  box.classList.add("session-size");
  if (term.cols !== sessionSize.cols || term.rows !== sessionSize.rows) term.resize(sessionSize.cols, sessionSize.rows);
  const room = fit.proposeDimensions();
  const smaller = room !== undefined && (room.cols < sessionSize.cols || room.rows < sessionSize.rows);
  notice.hidden = !smaller;
  notice.textContent = smaller
    ? `Your window is smaller than the session (${sessionSize.cols}×${sessionSize.rows}, the writer's size): scroll to see all of it.`
    : "";
}

/** The status bar; who is writing or watching is shown only while connected (a closed page has no one). */
function setState(state: string, text: string, reason = ""): void {
  if (state !== "rw" && state !== "ro") hideRoles();
  $("state").dataset.state = state;
  $("state").textContent = text;
  $("reason").textContent = reason;
}

/** Closes that are refusals: the page says so and does not offer the terminal again. */
const REFUSALS: Record<string, string> = {
  access_revoked: share
    ? "the share link was revoked or expired, or your access ended"
    : "your access ended (token revoked, signed out, blocked, or role or membership changed)",
};

function wsUrl(): string {
  const query = new URLSearchParams({ flow: "ack", cols: String(term.cols), rows: String(term.rows) });
  if (share) query.set("share", share);
  else if (mode === "rw" || mode === "ro") query.set("mode", mode);
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${location.pathname.replace(/\/$/, "")}.ws?${query}`;
}

const connection = new TerminalConnection(wsUrl, {
  output: (bytes, done) => term.write(bytes, done),
  control(message: ServerMessage) {
    if (message.type === "hello") {
      you = message.you;
      sessionSize = { cols: message.cols, rows: message.rows };
      term.reset();
      setMode(message.mode);
      showPresence(message.participants);
    } else if (message.type === "presence") showPresence(message.participants);
    else if (message.type === "size") {
      sessionSize = { cols: message.cols, rows: message.rows };
      layout();
    } else if (message.type === "mode") {
      setMode(message.mode);
      $("reason").textContent = `: ${modeNotice(message)}`;
    } else if (message.type === "exit") term.write(`\r\n[shell exited with code ${message.code ?? "?"}]\r\n`);
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

/** What the status bar says when this connection's role changed. */
function modeNotice({ mode, by, self }: Extract<ServerMessage, { type: "mode" }>): string {
  if (mode === "rw") return self ? "you took control" : `${by} handed you control`;
  return self ? "you handed control over" : `${by} took control`;
}

/** The connection's role: the writer types and sets the size, a watcher follows it. */
function setMode(m: "rw" | "ro"): void {
  writable = m === "rw";
  setState(m, writable ? "connected" : share ? "watching (read-only link)" : "watching (read-only)");
  layout();
  if (writable) {
    connection.resize(term.cols, term.rows);
    term.focus();
  }
}

function showPresence(participants: Parameters<typeof showRoles>[0]): void {
  showRoles(participants, you, !share, {
    takeControl: () => connection.control({ type: "take_control" }),
    handOver: (to) => connection.control({ type: "hand_over", to }),
  });
}

/** The page's preflight answers (…/terminal/check) that end the page: what to say instead of reconnecting. */
const PREFLIGHT_REFUSALS: Record<string, string> = {
  unauthorized: "sign in first",
  forbidden: "You are not allowed to open this terminal",
  not_found: "no such job, or no access to it",
  link_invalid: "this share link is not valid",
  link_expired: "this share link has expired",
  link_revoked: "this share link was revoked",
};

/**
 * Before connecting and after a failed connection: a reason not to retry (signed out, no access, job no longer
 * running), asked of the server's preflight because a browser cannot read why a WebSocket was refused.
 */
async function whyRefused(): Promise<string | null> {
  void showJobName();
  try {
    const check = `${location.pathname.replace(/\/$/, "")}/check${share ? `?share=${encodeURIComponent(share)}` : ""}`;
    const res = await fetch(check, { cache: "no-store" });
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
addEventListener("resize", layout);
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
