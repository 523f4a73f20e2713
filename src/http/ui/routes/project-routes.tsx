// The dashboard (`/`), New project (form + create), a project's overview, and the pages' CI lint endpoint.
/** @jsxImportSource hono/jsx */
import { audit } from "../../../auth/audit.ts";
import { can } from "../../../auth/permissions.ts";
import { externalUrl } from "../../../config/schema.ts";
import { DomainError, forbidden } from "../../../domain/errors.ts";
import { checkImportTarget, createProject } from "../../../queue/project-changes.ts";
import { allowed, loadProject, requireActor, routeProject } from "../data/access.ts";
import { listPipelines } from "../data/pipelines.ts";
import { listProjectsWithStatus } from "../data/projects.ts";
import type { PageRouter } from "../page-routes.ts";
import { EXAMPLE_CI, ProjectNewPage, type ProjectNewValues } from "../pages/project-new.tsx";
import { ProjectShowPage } from "../pages/project-show.tsx";
import { ProjectsIndexPage } from "../pages/projects-index.tsx";
import { renderPage } from "../render.tsx";
import { projectUrl } from "../urls.ts";
import { setFlash } from "../views/flash.ts";
import { fieldErrors, formText } from "../views/form-data.ts";
import { PER_PAGE, pageNumber, withPage } from "../views/pagination.tsx";

export function addProjectRoutes(r: PageRouter): void {
  r.get("/", (c) => {
    const actor = requireActor(c);
    const search = (c.req.query("name") ?? "").trim().slice(0, 255);
    const page = pageNumber(c.req.query("page"));
    const { items, total } = listProjectsWithStatus(c.get("deps").store.db, actor, { search, page, perPage: PER_PAGE });
    const url = new URL(c.req.url);
    return renderPage(
      c,
      "Projects",
      <ProjectsIndexPage
        items={items}
        search={search}
        canCreate={can(actor, "create_project")}
        pageInfo={{ page, perPage: PER_PAGE, total }}
        href={(n) => withPage(url, n)}
      />,
    );
  });

  r.get("/projects/new", (c) => {
    const actor = requireActor(c);
    if (!can(actor, "create_project")) throw forbidden();
    const values: ProjectNewValues = {
      name: "",
      path: "",
      description: "",
      visibility: "private",
      source: "yaml",
      import_url: "",
      default_branch: "main",
      ci_config: EXAMPLE_CI,
    };
    return renderPage(
      c,
      "New project",
      <ProjectNewPage csrfToken={c.get("csrfToken")} values={values} errors={{}} namespace={actor.user.username} />,
    );
  });

  r.post("/projects", async (c) => {
    const actor = requireActor(c);
    if (!can(actor, "create_project")) throw forbidden();
    const form = await c.req.parseBody();
    const values: ProjectNewValues = {
      name: formText(form, "name").trim(),
      path: formText(form, "path").trim(),
      description: formText(form, "description").trim(),
      visibility: formText(form, "visibility") || "private",
      source: (["git", "push"] as const).find((s) => s === formText(form, "source")) ?? "yaml",
      import_url: formText(form, "import_url").trim(),
      default_branch: formText(form, "default_branch").trim() || "main",
      ci_config: formText(form, "ci_config"),
    };
    const errors: Record<string, string> = {};
    if (!values.name) errors.name = "can't be blank";
    if (!["private", "internal", "public"].includes(values.visibility))
      errors.visibility = "is not a valid visibility level";
    if (values.source === "git" && !values.import_url)
      errors.import_url = "can't be blank when the source is a git repository";
    if (values.source === "yaml") {
      const lint = await c.get("deps").pipelines.lint(null, values.ci_config, actor.user.id);
      if (!lint.valid) errors.ci_config = lint.errors.join("\n");
    }
    const again = (status: 422) =>
      renderPage(
        c,
        "New project",
        <ProjectNewPage
          csrfToken={c.get("csrfToken")}
          values={values}
          errors={errors}
          namespace={actor.user.username}
        />,
        { status },
      );
    if (Object.keys(errors).length > 0) return again(422);
    const { db } = c.get("deps").store;
    try {
      const fields = {
        name: values.name,
        path: values.path || undefined,
        description: values.description || null,
        visibility: values.visibility as "private" | "internal" | "public",
        default_branch: values.default_branch,
        import_url: values.source === "git" ? values.import_url : null,
        ci_config: values.source === "yaml" ? values.ci_config : null,
      };
      await checkImportTarget(actor.user, fields, c.get("deps").config.limits.import_url_allowlist);
      const project = createProject(db, actor.user, fields);
      audit(db, {
        action: "project_created",
        actor,
        projectId: project.id,
        targetType: "Project",
        targetId: project.id,
      });
      setFlash(c, "notice", `Project '${project.name}' was successfully created.`);
      return c.redirect(projectUrl(project), 303);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      Object.assign(errors, fieldErrors(err));
      return again(422);
    }
  });

  r.post("/-/ui/ci/lint", async (c) => {
    const actor = requireActor(c);
    const body = (await c.req.json().catch(() => null)) as { content?: unknown; project_id?: unknown } | null;
    if (!body || typeof body.content !== "string")
      return c.json({ valid: false, errors: ["content is missing"], warnings: [] }, 400);
    const rawProjectId = body.project_id ?? c.req.query("project_id");
    const projectId = Number(rawProjectId);
    if (!rawProjectId) {
      if (!can(actor, "create_project")) throw forbidden();
      const { valid, errors, warnings, merged_yaml } = await c
        .get("deps")
        .pipelines.lint(null, body.content, actor.user.id);
      return c.json({ valid, errors, warnings, merged_yaml });
    }
    const project = Number.isSafeInteger(projectId) ? c.get("deps").store.repos.projects.findById(projectId) : null;
    if (!project) return c.json({ valid: false, errors: ["project not found"], warnings: [] }, 404);
    const access = loadProject(c, project.namespace, project.path, "lint_ci");
    const { valid, errors, warnings, merged_yaml } = await c
      .get("deps")
      .pipelines.lint(access.project.id, body.content, c.get("actor")?.user.id ?? null);
    return c.json({ valid, errors, warnings, merged_yaml });
  });

  r.get("/:namespace/:project", (c) => {
    const access = routeProject(c);
    const recent = listPipelines(c.get("deps").store.db, access.project.id, {}, { page: 1, perPage: 5 }).items;
    return renderPage(
      c,
      access.project.name,
      <ProjectShowPage
        project={access.project}
        recent={recent}
        canRun={allowed(access, "create_pipeline")}
        canAdmin={allowed(access, "admin_variables")}
        baseUrl={externalUrl(c.get("deps").config)}
      />,
    );
  });
}
