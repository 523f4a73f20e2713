// Following the log's tail: on while the window is scrolled to the bottom, off as soon as the user scrolls up;
// the toolbar's top/bottom buttons jump (bottom turns following back on).

const BOTTOM_SLACK_PX = 40;

export interface Follow {
  /** Call after content was added: scrolls to the end while following. */
  added(): void;
}

export function createFollow(panel: HTMLElement): Follow {
  const doc = document.documentElement;
  const atBottom = () => window.innerHeight + window.scrollY >= doc.scrollHeight - BOTTOM_SLACK_PX;
  let following = panel.dataset.follow === "true";
  const toBottom = () => window.scrollTo({ top: doc.scrollHeight });
  const indicator = panel.querySelector<HTMLElement>("[data-follow-state]");
  const show = () => {
    if (indicator) indicator.textContent = following ? "Following the log" : "";
  };
  const stop = () => {
    following = false;
    show();
  };
  window.addEventListener(
    "scroll",
    () => {
      following = atBottom();
      show();
    },
    { passive: true },
  );
  // Scrolling up means "stop following" at once, before the scroll lands (new output must not pull the view back).
  window.addEventListener("wheel", (e) => e.deltaY < 0 && stop(), { passive: true });
  window.addEventListener("touchmove", stop, { passive: true });
  window.addEventListener("keydown", (e) => ["ArrowUp", "PageUp", "Home"].includes(e.key) && stop());
  panel.querySelector("[data-log-top]")?.addEventListener("click", () => window.scrollTo({ top: 0 }));
  panel.querySelector("[data-log-bottom]")?.addEventListener("click", () => {
    following = true;
    toBottom();
    show();
  });
  if (following) requestAnimationFrame(toBottom);
  show();
  return { added: () => following && toBottom() };
}
