// The pipeline editor page: opens with the project's CI file for its default branch; a post (no JavaScript) lints it.
/** @jsxImportSource hono/jsx */

import { badRequest } from "../../../domain/errors.ts";
import type { LintResult } from "../../../pipeline/types.ts";
import { updateProject } from "../../../queue/project-changes.ts";
import { allowed, requireActor, routeProject } from "../data/access.ts";
import { knownRefs } from "../data/pipelines.ts";
import type { UiContext } from "../env.ts";
import type { PageRouter } from "../page-routes.ts";
import { CiEditorPage } from "../pages/ci-editor.tsx";
import { renderPage } from "../render.tsx";
import { ciEditorUrl } from "../urls.ts";
import { setFlash } from "../views/flash.ts";
import { formText } from "../views/form-data.ts";

const EDITOR = "/:namespace/:project/-/ci/editor";
/** Larger CI files are not opened in the editor (the lint itself takes at most a form's size). */
const MAX_EDITOR_BYTES = 512 * 1024;

type Access = ReturnType<typeof routeProject>;

/** The text the editor opens with and a sentence saying where it came from. */
async function initialContent(c: UiContext, access: Access): Promise<{ content: string; source: string }> {
  const { project } = access;
  if (project.ciConfig !== null) return { content: project.ciConfig, source: "The project's saved configuration." };
  const where = `${project.ciConfigPath} on ${project.defaultBranch}`;
  const repo = await c
    .get("deps")
    .pipelines.repository(project.id, c.get("actor")?.user.id ?? null)
    .catch(() => null);
  const file = await repo?.file(project.defaultBranch, project.ciConfigPath).catch(() => null);
  if (!file) return { content: "", source: `No ${where} yet: type a configuration to check it.` };
  if (file.size > MAX_EDITOR_BYTES) return { content: "", source: `${where} is too large to edit here.` };
  return {
    content: new TextDecoder().decode(await file.read()),
    source: `${where} (commit ${file.commitId.slice(0, 8)}).`,
  };
}

async function page(
  c: UiContext,
  access: Access,
  content: string,
  source: string,
  lint: LintResult | null,
  status: 200 | 422 = 200,
) {
  return renderPage(
    c,
    `Pipeline editor · ${access.project.name}`,
    <CiEditorPage
      project={access.project}
      csrfToken={c.get("csrfToken")}
      canAdmin={allowed(access, "admin_variables")}
      canRun={allowed(access, "create_pipeline")}
      canSave={access.project.ciConfig !== null && allowed(access, "update_project")}
      content={content}
      source={source}
      lint={lint}
      refs={knownRefs(c.get("deps").store.db, access.project.id)}
    />,
    { status },
  );
}

export function addCiEditorRoutes(r: PageRouter): void {
  // GitLab's older CI Lint page lives on in its pipeline editor.
  r.get("/:namespace/:project/-/ci/lint", (c) => c.redirect(ciEditorUrl(routeProject(c, "lint_ci").project), 301));

  r.get(EDITOR, async (c) => {
    const access = routeProject(c, "lint_ci");
    const { content, source } = await initialContent(c, access);
    return page(c, access, content, source, null);
  });

  r.post(EDITOR, async (c) => {
    const access = routeProject(c, "lint_ci");
    const content = formText(await c.req.parseBody(), "content");
    const lint = await c.get("deps").pipelines.lint(access.project.id, content, c.get("actor")?.user.id ?? null);
    return page(c, access, content, "The text you validated.", lint);
  });

  // An inline-YAML project's "commit": the text becomes its configuration, if it is valid.
  r.post(`${EDITOR}/save`, async (c) => {
    const actor = requireActor(c);
    const access = routeProject(c, "update_project");
    if (access.project.ciConfig === null)
      throw badRequest("This project's CI file is in its repository: commit and push it there.");
    const content = formText(await c.req.parseBody(), "content");
    const lint = await c.get("deps").pipelines.lint(access.project.id, content, actor.user.id);
    if (!lint.valid) return page(c, access, content, "Not saved: the configuration has errors.", lint, 422);
    updateProject(c.get("deps").store.db, actor.user, access.project, { ci_config: content });
    setFlash(c, "notice", "Pipeline configuration saved.");
    return c.redirect(ciEditorUrl(access.project), 303);
  });
}
