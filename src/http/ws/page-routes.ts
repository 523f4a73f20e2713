// The terminal page (bundled into the binary through Bun's HTML import) and the job page's Debug button.
import terminalPage from "../../../web/terminal.html";

/** Bun.serve `routes` for startHttpServer: the page at `/<namespace>/<project>/-/jobs/<id>/terminal`. */
export const terminalPageRoutes = {
  "/:namespace/:project/-/jobs/:id/terminal": terminalPage,
};

/** Where a job's terminal page is. */
export function terminalPagePath(projectPath: string, jobId: number): string {
  return `/${projectPath.split("/").map(encodeURIComponent).join("/")}/-/jobs/${jobId}/terminal`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * The **Debug** button for a job page: a link opening the terminal in a new tab, only for running jobs (the
 * server refuses the others anyway). Empty string otherwise.
 */
export function debugButtonHtml(job: { id: number; status: string; projectPath: string }): string {
  if (job.status !== "running") return "";
  const href = escapeHtml(terminalPagePath(job.projectPath, job.id));
  return `<a class="button debug-terminal" href="${href}" target="_blank" rel="noopener">Debug</a>`;
}
