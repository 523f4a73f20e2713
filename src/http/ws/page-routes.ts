// The terminal page, bundled into the binary through Bun's HTML import (the job page's Debug button links here).
import terminalPage from "../../../web/terminal.html";

/** Bun.serve `routes` for startHttpServer: the page at `/<namespace>/<project>/-/jobs/<id>/terminal`. */
export const terminalPageRoutes = {
  "/:namespace/:project/-/jobs/:id/terminal": terminalPage,
};
