// The job log in the browser: appends the server's rendered ops live, follows the tail until the user scrolls up,
// jumps to top/bottom, and loads earlier parts of a long log on demand. Markup comes escaped from the server.
import { type LogChunk, type LogStreamEvent, sectionOpenHtml } from "../../src/http/ui/log/log-ops.ts";
import { createFollow, type Follow } from "./log-follow.ts";
import { mergeEarlier } from "./log-merge.ts";

const RECONNECT_MS = 2000;

export function initLogView(root: Document): void {
  const panel = root.querySelector<HTMLElement>("[data-log-panel]");
  const lines = panel?.querySelector<HTMLElement>(".log-lines");
  const pending = panel?.querySelector<HTMLElement>(".log-pending");
  if (!panel || !lines || !pending) return;
  const follow = createFollow(panel);
  const stack = openSections(lines, Number(panel.dataset.openDepth ?? 0));
  initEarlier(panel, lines, () => stack.splice(0, stack.length, ...openSections(lines, stack.length - 1)));
  const streamUrl = panel.dataset.stream;
  if (streamUrl) startStream(streamUrl, panel, stack, pending, follow);
}

/** `lines` and the `depth` sections still open at its end (each the last child of the one before). */
function openSections(lines: HTMLElement, depth: number): HTMLElement[] {
  const stack: HTMLElement[] = [lines];
  for (let i = 0; i < depth; i++) {
    const last = stack[stack.length - 1]!.lastElementChild;
    if (!(last instanceof HTMLDetailsElement)) break;
    stack.push(last);
  }
  return stack;
}

/** Applies ops to the open-section stack: lines go into the innermost section, `open` nests, `close` fills the time. */
function applyOps(stack: HTMLElement[], ops: LogStreamEvent["ops"]): void {
  let batch = "";
  const flush = () => {
    if (batch) stack[stack.length - 1]!.insertAdjacentHTML("beforeend", batch);
    batch = "";
  };
  for (const op of ops) {
    if (op.op === "line") batch += op.html;
    else if (op.op === "open") {
      flush();
      const top = stack[stack.length - 1]!;
      top.insertAdjacentHTML("beforeend", `${sectionOpenHtml(op)}</details>`);
      stack.push(top.lastElementChild as HTMLElement);
    } else {
      flush();
      if (stack.length === 1) continue;
      const section = stack.pop()!;
      const slot = section.querySelector(":scope > summary .sec-dur");
      if (slot) slot.textContent = op.duration;
    }
  }
  flush();
}

function startStream(
  url: string,
  panel: HTMLElement,
  stack: HTMLElement[],
  pending: HTMLElement,
  follow: Follow,
): void {
  let current = url;
  let ended = false;
  const connect = () => {
    const events = new EventSource(current);
    events.addEventListener("ops", (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as LogStreamEvent;
      current = withState(current, data.resume);
      // A search jumped to lines before the tail (log-search.ts): new output does not belong after them.
      if (panel.dataset.jumped) return;
      applyOps(stack, data.ops);
      pending.innerHTML = data.pending;
      panel.querySelector(".log-empty")?.remove();
      follow.added();
    });
    events.addEventListener("end", () => {
      ended = true;
      events.close();
      panel.dataset.follow = "false";
    });
    events.addEventListener("error", () => {
      events.close();
      if (!ended) setTimeout(connect, RECONNECT_MS);
    });
  };
  connect();
}

function withState(url: string, resume: string): string {
  const u = new URL(url, location.href);
  u.searchParams.set("state", resume);
  return `${u.pathname}?${u.searchParams}`;
}

/** "Load earlier": fetches the previous chunk and joins it in front of what is shown; `merged` re-finds open sections. */
function initEarlier(panel: HTMLElement, lines: HTMLElement, merged: () => void): void {
  const button = panel.querySelector<HTMLButtonElement>("[data-earlier-url]");
  const notice = panel.querySelector<HTMLElement>("[data-earlier-notice]");
  if (!button) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const res = await fetch(button.dataset.earlierUrl!, { credentials: "same-origin" });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const chunk = (await res.json()) as LogChunk;
      mergeEarlier(lines, chunk.html, chunk.openDepth);
      merged();
      if (chunk.from === 0) panel.querySelector(".log-earlier")?.remove();
      else {
        const u = new URL(button.dataset.earlierUrl!, location.href);
        u.searchParams.set("to", String(chunk.from));
        button.dataset.earlierUrl = `${u.pathname}?${u.searchParams}`;
        if (notice) notice.textContent = chunk.notice;
      }
    } catch (err) {
      if (notice) notice.textContent = `Could not load the earlier part (${(err as Error).message}).`;
    } finally {
      button.disabled = false;
    }
  });
}
