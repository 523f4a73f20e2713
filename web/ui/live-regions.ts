// Keeps status parts of a page current: on each server event it re-fetches the page and swaps its live regions.
// Regions are `[data-live-region="name"]` (`data-live-reload`: reload the page instead, when the region's own script
// state would not survive a swap); the event stream URL is on any element as `data-live-events`.
import { clockDuration, countdownClock, humanDuration } from "../../src/http/ui/views/format.ts";

const MIN_INTERVAL_MS = 700;

/**
 * Each region's markup as the server last sent it. A fresh page is compared with this, not with the live DOM:
 * scripts change a region's DOM (a form's rows, a confirm hook), and comparing with that would reload a
 * `data-live-reload` region on every event although the server's markup is the same.
 */
const served = new WeakMap<Element, string>();

export function initLiveRegions(root: Document): void {
  const source = root.querySelector<HTMLElement>("[data-live-events]")?.dataset.liveEvents;
  if (!source || !root.querySelector("[data-live-region]")) return;
  for (const region of root.querySelectorAll("[data-live-region]")) served.set(region, region.innerHTML);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = 0;
  const schedule = () => {
    if (timer) return;
    timer = setTimeout(
      () => {
        timer = null;
        last = Date.now();
        refresh(root).catch(() => {});
      },
      Math.max(0, last + MIN_INTERVAL_MS - Date.now()),
    );
  };
  const events = new EventSource(source);
  events.addEventListener("change", schedule);
  // Whatever changed between rendering the page and subscribing (or while reconnecting) is fetched once on open.
  events.addEventListener("open", schedule);
  window.addEventListener("pagehide", () => events.close());
  tickElapsed(root);
  setInterval(() => tickElapsed(root), 1000);
}

/** Fetches the current URL and replaces each live region whose markup changed, keeping keyboard focus. */
async function refresh(root: Document): Promise<void> {
  const res = await fetch(location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" });
  if (!res.ok) return;
  const fresh = new DOMParser().parseFromString(await res.text(), "text/html");
  for (const region of root.querySelectorAll<HTMLElement>("[data-live-region]")) {
    const name = region.dataset.liveRegion!;
    const next = fresh.querySelector<HTMLElement>(`[data-live-region="${CSS.escape(name)}"]`);
    if (next?.innerHTML === (served.get(region) ?? region.innerHTML)) continue;
    if (!next || region.hasAttribute("data-live-reload")) return location.reload();
    const focusKey = keyOf(root.activeElement, region);
    const imported = root.importNode(next, true);
    served.set(imported, next.innerHTML);
    region.replaceWith(imported);
    if (focusKey) imported.querySelector<HTMLElement>(focusKey)?.focus();
  }
  tickElapsed(root);
}

/** A selector that finds the focused control again after a swap (by id, or by its form's action). */
function keyOf(active: Element | null, region: Element): string | null {
  if (!(active instanceof HTMLElement) || !region.contains(active)) return null;
  if (active.id) return `#${CSS.escape(active.id)}`;
  const action = active.closest("form")?.getAttribute("action");
  return action ? `form[action="${CSS.escape(action)}"] button` : null;
}

/** Running durations (`<span data-elapsed-since="ISO">`) count up every second. */
function tickElapsed(root: Document): void {
  for (const el of root.querySelectorAll<HTMLElement>("[data-elapsed-since]")) {
    const since = Date.parse(el.dataset.elapsedSince!);
    if (Number.isNaN(since)) continue;
    const seconds = Math.max(0, (Date.now() - since) / 1000);
    el.textContent = el.dataset.elapsedFormat === "human" ? humanDuration(seconds) : clockDuration(seconds);
  }
  for (const el of root.querySelectorAll<HTMLElement>("[data-countdown-to]")) {
    const until = Date.parse(el.dataset.countdownTo!);
    if (!Number.isNaN(until)) el.textContent = countdownClock((until - Date.now()) / 1000);
  }
}
