// Pipeline editor: line numbers beside the textarea, CI lint while typing (debounced, same endpoint as the other
// lint fields), errors marked in the gutter with a button that jumps to their line and column, and the merged YAML.

const DEBOUNCE_MS = 400;
/** `(line L, column C)` at the end of an error in the main file (an included file's errors name the file first). */
const POSITION = /\(line (\d+), column (\d+)\)$/;

interface LintAnswer {
  valid: boolean;
  errors: string[];
  warnings: string[];
  merged_yaml?: string;
}

export function initCiEditor(root: Document): void {
  const editor = root.querySelector<HTMLElement>("[data-ci-editor][data-lint-url]");
  const area = editor?.querySelector<HTMLTextAreaElement>("[data-editor-text]");
  const gutter = editor?.querySelector<HTMLElement>("[data-editor-gutter]");
  const status = editor?.querySelector<HTMLElement>("[data-editor-status]");
  const merged = editor?.querySelector<HTMLElement>("[data-editor-merged]");
  if (!editor || !area || !gutter || !status || !merged) return;
  const token = area.form?.querySelector<HTMLInputElement>('input[name="authenticity_token"]')?.value ?? "";
  let errorLines = new Set<number>();
  const drawGutter = () => {
    const count = area.value.split("\n").length;
    const spans = Array.from({ length: count }, (_, i) => {
      const span = root.createElement("span");
      span.textContent = `${i + 1}\n`;
      if (errorLines.has(i + 1)) span.className = "gutter-error";
      return span;
    });
    gutter.replaceChildren(...spans);
    gutter.scrollTop = area.scrollTop;
  };
  const jumpTo = (line: number, column: number) => {
    const lines = area.value.split("\n");
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    const at = Math.min(start + column - 1, start + (lines[line - 1]?.length ?? 0));
    area.focus();
    area.setSelectionRange(at, at + 1 <= start + (lines[line - 1]?.length ?? 0) ? at + 1 : at);
    const lineHeight = area.scrollHeight / Math.max(lines.length, 1);
    area.scrollTop = Math.max(0, (line - 3) * lineHeight);
  };
  const show = (answer: LintAnswer) => {
    errorLines = new Set();
    const items = answer.valid
      ? [
          text(root, "p", "lint-ok", "✓ This CI configuration is valid."),
          ...answer.warnings.map((w) => text(root, "p", "lint-warning", w)),
        ]
      : [errorList(root, answer.errors, errorLines, jumpTo)];
    status.replaceChildren(...items);
    merged.textContent = answer.merged_yaml ?? "";
    drawGutter();
  };
  let timer: ReturnType<typeof setTimeout> | null = null;
  let sequence = 0;
  const lint = async () => {
    const mine = ++sequence;
    status.replaceChildren(text(root, "p", "muted", "Checking…"));
    try {
      const res = await fetch(editor.dataset.lintUrl!, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
        body: JSON.stringify({ content: area.value }),
      });
      const answer = (await res.json()) as LintAnswer;
      if (mine === sequence) show(answer);
    } catch {
      if (mine === sequence) status.replaceChildren(text(root, "p", "muted", "Could not reach the server to check."));
    }
  };
  area.addEventListener("input", () => {
    drawGutter();
    if (timer) clearTimeout(timer);
    timer = setTimeout(lint, DEBOUNCE_MS);
  });
  area.addEventListener("scroll", () => {
    gutter.scrollTop = area.scrollTop;
  });
  if (area.value.trim() !== "") void lint();
}

function text(root: Document, tag: string, className: string, content: string): HTMLElement {
  const el = root.createElement(tag);
  el.className = className;
  el.textContent = content;
  return el;
}

/** The errors, each with a "Line L, column C" button when it points into the edited file. */
function errorList(
  root: Document,
  errors: string[],
  lines: Set<number>,
  jumpTo: (line: number, column: number) => void,
): HTMLElement {
  const list = root.createElement("ul");
  list.className = "lint-errors";
  for (const error of errors) {
    const item = root.createElement("li");
    const at = error.match(POSITION);
    if (at && !/^[^\s:]+\.ya?ml: /.test(error)) {
      const line = Number(at[1]);
      const column = Number(at[2]);
      lines.add(line);
      item.dataset.line = String(line);
      const jump = root.createElement("button");
      jump.type = "button";
      jump.className = "btn btn-sm lint-jump";
      jump.textContent = `Line ${line}, column ${column}`;
      jump.addEventListener("click", () => jumpTo(line, column));
      item.append(jump, " ");
    }
    item.append(error);
    list.append(item);
  }
  return list;
}
