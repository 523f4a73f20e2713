// Live CI lint while typing: `<textarea data-lint data-lint-url="…">` posts its text (debounced) and shows the result.

const DEBOUNCE_MS = 400;

interface LintAnswer {
  valid: boolean;
  errors: string[];
  warnings: string[];
}

export function initLint(root: Document): void {
  for (const area of root.querySelectorAll<HTMLTextAreaElement>("textarea[data-lint][data-lint-url]")) {
    const status = root.getElementById(`${area.id}-lint`);
    const token = area.form?.querySelector<HTMLInputElement>('input[name="authenticity_token"]')?.value ?? "";
    if (!status) continue;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let sequence = 0;
    const run = async () => {
      const mine = ++sequence;
      if (area.value.trim() === "") return show(status, null);
      status.textContent = "Checking…";
      status.className = "lint-status";
      try {
        const res = await fetch(area.dataset.lintUrl!, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
          body: JSON.stringify({ content: area.value }),
        });
        const answer = (await res.json()) as LintAnswer;
        if (mine === sequence) show(status, answer);
      } catch {
        if (mine === sequence) status.textContent = "";
      }
    };
    area.addEventListener("input", () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, DEBOUNCE_MS);
    });
  }
}

function show(status: HTMLElement, answer: LintAnswer | null): void {
  if (!answer) {
    status.textContent = "";
    status.className = "lint-status";
    return;
  }
  const lines = answer.valid ? ["✓ This CI configuration is valid.", ...answer.warnings] : answer.errors;
  status.textContent = lines.join("\n");
  status.className = `lint-status ${answer.valid ? "ok" : "bad"}`;
}
