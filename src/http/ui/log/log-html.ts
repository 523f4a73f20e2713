// Assembles renderer ops into one HTML string (server-side page render), filling in section durations.
import { type LogOp, sectionOpenHtml } from "./log-ops.ts";

/**
 * HTML for a run of ops. Sections still open at the end are closed in the markup (`</details>`) but keep an
 * empty duration; a browser appending later ops must re-enter them (the log view does this by `data-section`).
 */
export function opsToHtml(ops: readonly LogOp[]): string {
  const parts: string[] = [];
  const open: { at: number; op: Extract<LogOp, { op: "open" }> }[] = [];
  for (const op of ops) {
    if (op.op === "line") parts.push(op.html);
    else if (op.op === "open") {
      open.push({ at: parts.length, op });
      parts.push(sectionOpenHtml(op));
    } else {
      const sec = open.pop();
      if (!sec) continue;
      parts[sec.at] = sectionOpenHtml(sec.op, op.duration);
      parts.push("</details>");
    }
  }
  for (let i = 0; i < open.length; i++) parts.push("</details>");
  return parts.join("");
}
