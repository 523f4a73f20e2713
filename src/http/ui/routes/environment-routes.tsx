// The Environments page and its Stop button (the same rules as the environments API's stop).
/** @jsxImportSource hono/jsx */
import { DomainError, notFound } from "../../../domain/errors.ts";
import { stopJobOf } from "../../../queue/environment-stop.ts";
import { allowed, requireActor, routeId, routeProject } from "../data/access.ts";
import type { PageRouter } from "../page-routes.ts";
import { EnvironmentsPage } from "../pages/environments.tsx";
import { renderPage } from "../render.tsx";
import { environmentsUrl } from "../urls.ts";
import { setFlash } from "../views/flash.ts";

const ENVIRONMENTS = "/:namespace/:project/-/environments";

export function addEnvironmentRoutes(r: PageRouter): void {
  r.get(ENVIRONMENTS, (c) => {
    const access = routeProject(c, "read_environment");
    const { repos } = c.get("deps").store;
    const { rows } = repos.environments.pageOfProject(access.project.id, {}, { perPage: 1000, offset: 0 });
    const last = repos.deployments.lastSuccessfulOf(rows.map((e) => e.id));
    const environments = rows.map((environment) => {
      const deployment = last.get(environment.id);
      const job = deployment?.jobId ? repos.jobs.findById(deployment.jobId) : null;
      const pipeline = job ? repos.pipelines.findById(job.pipelineId) : null;
      return {
        environment,
        last: deployment ? { deployment, job, pipeline } : null,
        stopJob: stopJobOf(repos, environment),
      };
    });
    return renderPage(
      c,
      `Environments · ${access.project.name}`,
      <EnvironmentsPage
        project={access.project}
        canAdmin={allowed(access, "admin_variables")}
        canStop={allowed(access, "stop_environment")}
        csrfToken={c.get("csrfToken")}
        environments={environments}
      />,
    );
  });

  r.post(`${ENVIRONMENTS}/:id{[0-9]+}/stop`, (c) => {
    const actor = requireActor(c);
    const access = routeProject(c, "stop_environment");
    const environment = c.get("deps").store.repos.environments.findInProject(access.project.id, routeId(c));
    if (!environment) throw notFound("Environment");
    try {
      const stopped = c.get("deps").pipelines.stopEnvironment(environment, actor.user.id);
      setFlash(
        c,
        "notice",
        stopped.state === "stopped" ? `${environment.name} stopped.` : `Stopping ${environment.name}.`,
      );
    } catch (err) {
      if (!(err instanceof DomainError) || (err.code !== "forbidden" && err.code !== "bad_request")) throw err;
      setFlash(c, "alert", `${environment.name} could not be stopped: ${err.message}`);
    }
    return c.redirect(environmentsUrl(access.project), 303);
  });
}
