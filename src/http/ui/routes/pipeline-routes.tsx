// Pipelines: the list with filters, Run pipeline (form + create), one pipeline, and cancel/retry/delete.
/** @jsxImportSource hono/jsx */
import { resolveProject } from "../../../auth/access.ts";
import { audit } from "../../../auth/audit.ts";
import { DomainError } from "../../../domain/errors.ts";
import { pipelineTestSuites } from "../../../queue/test-report.ts";
import { allowed, requireActor, routePipeline, routeProject } from "../data/access.ts";
import { exposedArtifacts } from "../data/exposed-artifacts.ts";
import { retriedPipelineJobs } from "../data/jobs.ts";
import {
  currentJobs,
  downstreamPipelines,
  findUser,
  knownRefs,
  listPipelines,
  statusFilter,
  upstreamPipeline,
} from "../data/pipelines.ts";
import type { UiContext } from "../env.ts";
import type { PageRouter } from "../page-routes.ts";
import { NEW_PIPELINE_VARIABLE_ROWS, PipelineNewPage, type PipelineNewProps } from "../pages/pipeline-new.tsx";
import { JOBS_PER_PAGE, PipelineShowPage } from "../pages/pipeline-show.tsx";
import { PipelinesIndexPage } from "../pages/pipelines-index.tsx";
import { renderPage } from "../render.tsx";
import { pipelinesUrl, pipelineUrl } from "../urls.ts";
import { setFlash } from "../views/flash.ts";
import { fieldErrors, formText, variableRows } from "../views/form-data.ts";
import { PER_PAGE, pageNumber, withPage } from "../views/pagination.tsx";

const PIPELINES = "/:namespace/:project/-/pipelines";
const PIPELINE = `${PIPELINES}/:id{[0-9]+}`;

export function addPipelineRoutes(r: PageRouter): void {
  r.get(PIPELINES, (c) => {
    const access = routeProject(c, "read_pipeline");
    const { db } = c.get("deps").store;
    const filters = {
      status: statusFilter(c.req.query("status")),
      ref: c.req.query("ref")?.trim().slice(0, 255) || undefined,
    };
    const page = pageNumber(c.req.query("page"));
    const { items, total } = listPipelines(db, access.project.id, filters, { page, perPage: PER_PAGE });
    const url = new URL(c.req.url);
    return renderPage(
      c,
      `Pipelines · ${access.project.name}`,
      <PipelinesIndexPage
        project={access.project}
        items={items}
        filters={filters}
        refs={knownRefs(db, access.project.id)}
        pageInfo={{ page, perPage: PER_PAGE, total }}
        href={(n) => withPage(url, n)}
        csrfToken={c.get("csrfToken")}
        canRun={allowed(access, "create_pipeline")}
        canUpdate={allowed(access, "update_pipeline")}
        canAdmin={allowed(access, "admin_variables")}
      />,
    );
  });

  /** Refs with pipelines first, then the mirror's branches and tags (a project with a repository). */
  const refChoices = async (c: UiContext, access: ReturnType<typeof routeProject>) => {
    const deps = c.get("deps");
    const repo = await deps.pipelines.repository(access.project.id, c.get("actor")?.user.id ?? null).catch(() => null);
    const mirrored = repo ? [...(await repo.branches()), ...(await repo.tags())].map((r) => r.name) : [];
    return [...new Set([...knownRefs(deps.store.db, access.project.id), ...mirrored])];
  };

  const newPage = async (
    c: UiContext,
    access: ReturnType<typeof routeProject>,
    values: PipelineNewProps["values"],
    errors: Record<string, string>,
  ) =>
    renderPage(
      c,
      `Run pipeline · ${access.project.name}`,
      <PipelineNewPage
        project={access.project}
        csrfToken={c.get("csrfToken")}
        canAdmin={allowed(access, "admin_variables")}
        refs={await refChoices(c, access)}
        values={values}
        errors={errors}
      />,
      { status: Object.keys(errors).length ? 422 : 200 },
    );

  r.get(`${PIPELINES}/new`, (c) => {
    const access = routeProject(c, "create_pipeline");
    return newPage(c, access, { ref: c.req.query("ref") ?? access.project.defaultBranch, variables: [] }, {});
  });

  r.post(PIPELINES, async (c) => {
    const actor = requireActor(c);
    const access = routeProject(c, "create_pipeline");
    const form = await c.req.parseBody();
    const ref = formText(form, "ref").trim();
    const { variables, entered, errors } = variableRows(form, "variables", NEW_PIPELINE_VARIABLE_ROWS);
    if (!ref) errors.ref = "can't be blank";
    const values = { ref, variables: entered };
    if (Object.keys(errors).length > 0) return newPage(c, access, values, errors);
    try {
      const pipeline = await c
        .get("deps")
        .pipelines.create({ projectId: access.project.id, ref, source: "web", userId: actor.user.id, variables });
      return c.redirect(pipelineUrl(access.project, pipeline.id), 303);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code === "not_found" || err.code === "forbidden") throw err;
      const problems = fieldErrors(err);
      const base = problems.base ?? err.message;
      return newPage(
        c,
        access,
        values,
        /ref|branch|tag/i.test(base) && !/config/i.test(base) ? { ref: base } : { base },
      );
    }
  });

  r.get(PIPELINE, (c) => {
    const { pipeline, ...access } = routePipeline(c, "read_pipeline");
    const { db } = c.get("deps").store;
    const jobs = currentJobs(db, [pipeline.id]);
    const retriedJobs = retriedPipelineJobs(db, pipeline.id);
    // Linked pipelines of other projects show only to those who may read that project's pipelines.
    const canSee = (projectId: number) =>
      projectId === access.project.id || resolveProject(db, access.actor, String(projectId), "read_pipeline").ok;
    return renderPage(
      c,
      `Pipeline #${pipeline.id} · ${access.project.name}`,
      <PipelineShowPage
        project={access.project}
        pipeline={pipeline}
        jobs={jobs}
        retriedJobs={retriedJobs}
        user={findUser(db, pipeline.userId)}
        canUpdate={allowed(access, "update_pipeline")}
        canDelete={allowed(access, "delete_pipeline")}
        canAdmin={allowed(access, "admin_variables")}
        csrfToken={c.get("csrfToken")}
        jobsPage={{ page: pageNumber(c.req.query("page")), perPage: JOBS_PER_PAGE, total: jobs.length }}
        jobsPageHref={(page) => `${withPage(new URL(c.req.url), page)}#jobs`}
        testCount={pipelineTestSuites(db, c.get("deps").artifacts, pipeline.id).flatMap((s) => s.cases).length}
        exposed={exposedArtifacts(c.get("deps").artifacts, access.project, jobs)}
        downstream={downstreamPipelines(
          db,
          [...jobs, ...retriedJobs].filter((j) => j.kind === "bridge"),
          canSee,
        )}
        upstream={upstreamPipeline(db, pipeline, canSee)}
      />,
    );
  });

  const act = (
    path: string,
    action: "update_pipeline" | "delete_pipeline",
    run: (c: UiContext, id: number, projectId: number) => string,
  ) =>
    r.post(`${PIPELINE}/${path}`, (c) => {
      const { pipeline, ...access } = routePipeline(c, action);
      try {
        setFlash(c, "notice", run(c, pipeline.id, access.project.id));
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        setFlash(c, "alert", err.message);
      }
      return c.redirect(
        path === "delete" ? pipelinesUrl(access.project) : pipelineUrl(access.project, pipeline.id),
        303,
      );
    });
  act("cancel", "update_pipeline", (c, id) => {
    c.get("deps").pipelines.cancelPipeline(id);
    return "Pipeline canceled.";
  });
  act("retry", "update_pipeline", (c, id) => {
    c.get("deps").pipelines.retryPipeline(id, c.get("actor")!.user.id);
    return "Pipeline retried.";
  });
  act("delete", "delete_pipeline", (c, id, projectId) => {
    c.get("deps").pipelines.deletePipeline(id);
    audit(c.get("deps").store.db, {
      action: "pipeline_deleted",
      actor: c.get("actor"),
      projectId,
      targetType: "Pipeline",
      targetId: id,
    });
    return "Pipeline deleted.";
  });
}
