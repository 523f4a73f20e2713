// "Copy" buttons next to shown-once secrets: `<button data-copy="#field-id">`; hidden until JS can copy.

export function initCopyButtons(root: Document): void {
  for (const button of root.querySelectorAll<HTMLButtonElement>("button[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const source = root.querySelector<HTMLInputElement>(button.dataset.copy ?? "");
      if (!source) return;
      await navigator.clipboard.writeText(source.value).catch(() => source.select());
      button.textContent = "Copied";
    });
  }
}
