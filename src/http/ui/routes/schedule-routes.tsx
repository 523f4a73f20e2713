// The Schedules pages: list, new, edit, play now, delete, take ownership (the same rules as the schedules API).
/** @jsxImportSource hono/jsx */
import { audit } from "../../../auth/audit.ts";
import { DomainError, forbidden, notFound } from "../../../domain/errors.ts";
import { KEY } from "../../../domain/variable-rules.ts";
import type { PipelineScheduleRow } from "../../../store/rows.ts";
import { saveSchedule } from "../../schedule-save.ts";
import { allowed, type ProjectAccess, requireActor, routeId, routeProject } from "../data/access.ts";
import type { UiContext } from "../env.ts";
import type { PageRouter } from "../page-routes.ts";
import { ScheduleFormPage, type ScheduleFormValues, SchedulesIndexPage } from "../pages/pipeline-schedules.tsx";
import { renderPage } from "../render.tsx";
import { pipelineUrl, schedulesUrl } from "../urls.ts";
import { setFlash } from "../views/flash.ts";
import { fieldErrors, formText } from "../views/form-data.ts";

const SCHEDULES = "/:namespace/:project/-/pipeline_schedules";
const SCHEDULE = `${SCHEDULES}/:id{[0-9]+}`;

const mayEdit = (access: ProjectAccess, s: PipelineScheduleRow) =>
  allowed(access, "admin_pipeline_schedules") &&
  (s.ownerId === access.actor?.user.id || allowed(access, "take_schedule_ownership"));

const schedulesOf = (c: UiContext) => c.get("deps").store.repos.pipelineSchedules;

/** The route's schedule; with `edit`, only for its owner or a Maintainer. */
function loadSchedule(c: UiContext, edit: boolean) {
  const access = routeProject(c, edit ? "admin_pipeline_schedules" : "read_pipeline_schedules");
  const schedule = schedulesOf(c).findInProject(access.project.id, routeId(c));
  if (!schedule) throw notFound("Pipeline Schedule");
  if (edit && !mayEdit(access, schedule)) throw forbidden();
  return { ...access, schedule };
}

/** `KEY=value` lines → variables, or the line that is not one. */
function parseVariables(text: string): { variables: { key: string; value: string }[]; error?: string } {
  const variables: { key: string; value: string }[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf("=");
    const key = eq > 0 ? line.slice(0, eq).trim() : "";
    if (!KEY.test(key)) return { variables, error: `line ${i + 1} is not KEY=value (letters, digits and _)` };
    if (variables.some((v) => v.key === key)) return { variables, error: `line ${i + 1} repeats ${key}` };
    variables.push({ key, value: line.slice(eq + 1) });
  }
  return { variables };
}

function formPage(
  c: UiContext,
  access: ProjectAccess,
  schedule: PipelineScheduleRow | null,
  values: ScheduleFormValues,
  errors: Record<string, string>,
) {
  return renderPage(
    c,
    `${schedule ? "Edit" : "New"} schedule · ${access.project.name}`,
    <ScheduleFormPage
      project={access.project}
      canAdmin={allowed(access, "admin_variables")}
      csrfToken={c.get("csrfToken")}
      schedule={schedule}
      values={values}
      errors={errors}
    />,
    { status: Object.keys(errors).length > 0 ? 422 : 200 },
  );
}

async function submit(c: UiContext, access: ProjectAccess, schedule: PipelineScheduleRow | null) {
  const actor = requireActor(c);
  const form = await c.req.parseBody();
  const values: ScheduleFormValues = {
    description: formText(form, "description").trim(),
    ref: formText(form, "ref").trim(),
    cron: formText(form, "cron").trim(),
    cron_timezone: formText(form, "cron_timezone").trim() || "UTC",
    active: formText(form, "active") === "1",
    variables: formText(form, "variables"),
  };
  const parsed = parseVariables(values.variables);
  if (parsed.error) return formPage(c, access, schedule, values, { variables: parsed.error });
  try {
    const row = saveSchedule(c.get("deps"), {
      actor,
      projectId: access.project.id,
      schedule,
      change: {
        description: values.description,
        ref: values.ref,
        cron: values.cron,
        cronTimezone: values.cron_timezone,
        active: values.active,
      },
    });
    schedulesOf(c).replaceVariables(row.id, parsed.variables);
    setFlash(c, "notice", schedule ? "Schedule saved." : "Schedule created.");
    return c.redirect(schedulesUrl(access.project), 303);
  } catch (err) {
    if (!(err instanceof DomainError) || err.code !== "bad_request") throw err;
    return formPage(c, access, schedule, values, fieldErrors(err));
  }
}

export function addScheduleRoutes(r: PageRouter): void {
  r.get(SCHEDULES, (c) => {
    const access = routeProject(c, "read_pipeline_schedules");
    const { repos } = c.get("deps").store;
    const { rows } = repos.pipelineSchedules.pageOfProject(access.project.id, undefined, { perPage: 1000, offset: 0 });
    const ownerName = (id: number | null) => (id === null ? null : (repos.users.findById(id)?.username ?? null));
    return renderPage(
      c,
      `Schedules · ${access.project.name}`,
      <SchedulesIndexPage
        project={access.project}
        canAdmin={allowed(access, "admin_variables")}
        canCreate={allowed(access, "admin_pipeline_schedules")}
        csrfToken={c.get("csrfToken")}
        schedules={rows.map((s) => ({ schedule: s, owner: ownerName(s.ownerId), canEdit: mayEdit(access, s) }))}
      />,
    );
  });

  r.get(`${SCHEDULES}/new`, (c) => {
    const access = routeProject(c, "admin_pipeline_schedules");
    const values = {
      description: "",
      ref: access.project.defaultBranch,
      cron: "0 3 * * *",
      cron_timezone: "UTC",
      active: true,
      variables: "",
    };
    return formPage(c, access, null, values, {});
  });

  r.post(SCHEDULES, (c) => submit(c, routeProject(c, "admin_pipeline_schedules"), null));

  r.get(`${SCHEDULE}/edit`, (c) => {
    const { schedule: s, ...access } = loadSchedule(c, true);
    const vars = schedulesOf(c).variablesOf(s.id);
    const values = {
      description: s.description,
      ref: s.ref,
      cron: s.cron,
      cron_timezone: s.cronTimezone,
      active: s.active,
      variables: vars.map((v) => `${v.key}=${v.value}`).join("\n"),
    };
    return formPage(c, access, s, values, {});
  });

  r.post(SCHEDULE, (c) => {
    const { schedule, ...access } = loadSchedule(c, true);
    return submit(c, access, schedule);
  });

  r.post(`${SCHEDULE}/play`, async (c) => {
    const actor = requireActor(c);
    const { schedule, ...access } = loadSchedule(c, false);
    if (!allowed(access, "create_pipeline")) throw forbidden();
    try {
      const pipeline = await c.get("deps").pipelines.playSchedule(schedule.id, actor.user.id);
      return c.redirect(pipelineUrl(access.project, pipeline.id), 303);
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== "bad_request") throw err;
      setFlash(c, "alert", `The schedule could not run: ${err.message}`);
      return c.redirect(schedulesUrl(access.project), 303);
    }
  });

  r.post(`${SCHEDULE}/delete`, (c) => {
    const { schedule, ...access } = loadSchedule(c, true);
    const { db } = c.get("deps").store;
    schedulesOf(c).delete(schedule.id);
    c.get("deps").pipelines.schedulesChanged();
    audit(db, {
      action: "pipeline_schedule_deleted",
      actor: c.get("actor"),
      projectId: access.project.id,
      targetType: "PipelineSchedule",
      targetId: schedule.id,
    });
    setFlash(c, "notice", "Schedule deleted.");
    return c.redirect(schedulesUrl(access.project), 303);
  });
}
