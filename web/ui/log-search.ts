// Job log search: asks the server (which searches the stored log, however large) for a page of matching lines,
// lists them, and jumps to one: in the shown part if it is there, else the lines around it replace the shown part.
import type { LogChunk } from "../../src/http/ui/log/log-ops.ts";

interface LogMatch {
  line: number;
  offset: number;
  text: string;
}
interface LogSearchPage {
  matches: LogMatch[];
  next: string | null;
  searched: number;
  size: number;
}

/** Matches listed before the search waits for "More matches". */
const AUTO_MATCHES = 100;

const kib = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);

export function initLogSearch(root: Document): void {
  const form = root.querySelector<HTMLFormElement>("form[data-log-search]");
  const panel = root.querySelector<HTMLElement>("[data-log-panel]");
  const lines = panel?.querySelector<HTMLElement>(".log-lines");
  const results = panel?.querySelector<HTMLElement>("[data-log-search-results]");
  const jumped = panel?.querySelector<HTMLElement>("[data-log-jumped]");
  const input = form?.querySelector<HTMLInputElement>('input[name="q"]');
  if (!form || !panel || !lines || !results || !jumped || !input) return;
  form.hidden = false;
  const searchUrl = form.dataset.logSearch!;
  const chunkUrl = form.dataset.chunkUrl!;
  let sequence = 0;

  const el = (tag: string, className: string, text = "") => {
    const e = root.createElement(tag);
    e.className = className;
    e.textContent = text;
    return e;
  };

  const jump = async (m: LogMatch) => {
    let target = lines.querySelector<HTMLElement>(`.ln[data-n="${m.line}"]`);
    if (!target) {
      const res = await fetch(`${chunkUrl}?around=${m.offset}`, { credentials: "same-origin" });
      if (!res.ok) return;
      const chunk = (await res.json()) as LogChunk;
      lines.innerHTML = chunk.html;
      panel.dataset.follow = "false";
      panel.dataset.jumped = "true";
      const earlier = panel.querySelector<HTMLButtonElement>("[data-earlier-url]");
      if (chunk.from === 0) panel.querySelector(".log-earlier")?.remove();
      else if (earlier) {
        earlier.dataset.earlierUrl = `${chunkUrl}?to=${chunk.from}`;
        const notice = panel.querySelector("[data-earlier-notice]");
        if (notice) notice.textContent = "";
      }
      panel.querySelector(".log-pending")?.replaceChildren();
      const back = el("a", "", "Back to the end of the log");
      (back as HTMLAnchorElement).href = location.pathname;
      jumped.replaceChildren(el("span", "", `Showing the lines around line ${m.line}. `), back);
      jumped.hidden = false;
      target = lines.querySelector<HTMLElement>(`.ln[data-n="${m.line}"]`);
    }
    if (!target) return;
    for (let d = target.parentElement?.closest("details"); d; d = d.parentElement?.closest("details")) d.open = true;
    for (const old of lines.querySelectorAll(".ln-hit")) old.classList.remove("ln-hit");
    target.classList.add("ln-hit");
    target.scrollIntoView({ block: "center" });
  };

  const show = (page: LogSearchPage, list: HTMLElement) => {
    for (const m of page.matches) {
      const item = root.createElement("li");
      const button = el("button", "btn btn-sm", `Line ${m.line}`) as HTMLButtonElement;
      button.type = "button";
      button.addEventListener("click", () => void jump(m));
      item.append(button, el("code", "", m.text));
      list.append(item);
    }
    const count = list.children.length;
    const summary = results.querySelector<HTMLElement>("[data-search-summary]");
    if (summary)
      summary.textContent = page.next
        ? `${count} matching ${count === 1 ? "line" : "lines"} so far (searched ${kib(page.searched)} of ${kib(page.size)}).`
        : count === 0
          ? "No lines match."
          : `${count} matching ${count === 1 ? "line" : "lines"}.`;
    results.querySelector("[data-search-more]")?.remove();
    // The server answers within a time budget: go on by itself until a page's worth of matches is listed.
    if (page.next && count < AUTO_MATCHES) {
      void search(page.next, list);
    } else if (page.next) {
      const more = el("button", "btn btn-sm", "More matches") as HTMLButtonElement;
      more.type = "button";
      more.dataset.searchMore = "";
      more.addEventListener("click", () => void search(page.next, list));
      results.append(more);
    }
    if (count === page.matches.length && page.matches[0]) void jump(page.matches[0]);
  };

  const search = async (from: string | null, list: HTMLElement | null) => {
    const q = input.value.trim();
    if (!q) return;
    const mine = ++sequence;
    const url = `${searchUrl}?q=${encodeURIComponent(q)}${from ? `&from=${encodeURIComponent(from)}` : ""}`;
    const res = await fetch(url, { credentials: "same-origin" });
    if (mine !== sequence) return;
    if (!res.ok) {
      results.replaceChildren(el("p", "lint-status bad", `Search failed (HTTP ${res.status}).`));
      results.hidden = false;
      return;
    }
    const page = (await res.json()) as LogSearchPage;
    if (mine !== sequence) return;
    if (!list) {
      list = el("ol", "log-search-list");
      results.replaceChildren(el("p", "log-search-summary", ""), list);
      results.querySelector("p")!.dataset.searchSummary = "";
      results.hidden = false;
    }
    show(page, list);
  };

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void search(null, null);
  });
}
