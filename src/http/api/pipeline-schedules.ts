// /projects/:id/pipeline_schedules: GitLab's schedules API (list, show, create, edit, delete, play, take_ownership,
// schedule variables). Developers make schedules; only a schedule's owner or a Maintainer edits it.
import { Hono } from "hono";
import { z } from "zod";
import { audit } from "../../auth/audit.ts";
import { can } from "../../auth/permissions.ts";
import { conflict, forbidden, invalid, notFound } from "../../domain/errors.ts";
import { variableFieldErrors } from "../../domain/variable-rules.ts";
import type { ScheduleFields } from "../../store/pipeline-schedules.ts";
import type { PipelineScheduleRow } from "../../store/rows.ts";
import { type ApiContext, type ApiEnv, clientIp } from "../env.ts";
import { pageOf, paginated } from "../middleware/pagination.ts";
import { readParams } from "../middleware/params.ts";
import { parseParams, zBool, zText } from "../middleware/validate.ts";
import { saveSchedule } from "../schedule-save.ts";
import { lookupsFor } from "../serializers/lookups.ts";
import { pipelineBasic } from "../serializers/pipeline.ts";
import { scheduleEntity, scheduleVariableEntity } from "../serializers/schedule.ts";
import { loadProject, type ProjectAccess, requireActor } from "./guard.ts";

const createSchema = z.object({
  description: zText(),
  ref: zText(),
  cron: zText(),
  cron_timezone: zText().optional(),
  active: zBool().optional(),
});
const updateSchema = createSchema.partial();
const variableSchema = z.object({
  key: zText(),
  value: zText(),
  variable_type: z.enum(["env_var", "file"]).optional(),
});

const schedulesOf = (c: ApiContext) => c.get("deps").store.repos.pipelineSchedules;

/** The route's schedule, for reading (Reporter) or, with `edit`, for its owner or a Maintainer. */
function loadSchedule(c: ApiContext, edit: boolean): ProjectAccess & { schedule: PipelineScheduleRow } {
  const access = loadProject(c, edit ? "admin_pipeline_schedules" : "read_pipeline_schedules");
  const id = Number(c.req.param("schedule_id"));
  const schedule = Number.isSafeInteger(id) ? schedulesOf(c).findInProject(access.project.id, id) : null;
  if (!schedule) throw notFound("Pipeline Schedule");
  if (edit && schedule.ownerId !== access.actor?.user.id && !can(access.actor, "take_schedule_ownership", access))
    throw forbidden();
  return { ...access, schedule };
}

/** Stores a schedule change as the caller. */
function saved(
  c: ApiContext,
  access: ProjectAccess,
  schedule: PipelineScheduleRow | null,
  change: Partial<ScheduleFields>,
) {
  const actor = requireActor(c);
  return saveSchedule(c.get("deps"), { actor, projectId: access.project.id, schedule, change, ip: clientIp(c) });
}

const fields = (p: z.infer<typeof updateSchema>): Partial<ScheduleFields> => ({
  description: p.description,
  ref: p.ref,
  cron: p.cron,
  cronTimezone: p.cron_timezone,
  active: p.active,
});

export function pipelineScheduleRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const base = "/projects/:id/pipeline_schedules";
  const one = `${base}/:schedule_id{[0-9]+}`;

  app.get(base, async (c) => {
    const { project } = loadProject(c, "read_pipeline_schedules");
    const params = await readParams(c);
    const scope = parseParams(z.object({ scope: z.enum(["active", "inactive"]).optional() }), params).scope;
    const page = pageOf(params);
    const active = scope === undefined ? undefined : scope === "active";
    const { rows, total } = schedulesOf(c).pageOfProject(project.id, active, page);
    const look = lookupsFor(c.get("deps"));
    return paginated(
      c,
      page,
      total,
      rows.map((s) => scheduleEntity(s, look)),
    );
  });

  app.get(one, (c) => {
    const { schedule } = loadSchedule(c, false);
    return c.json(scheduleEntity(schedule, lookupsFor(c.get("deps")), schedulesOf(c).variablesOf(schedule.id)));
  });

  app.get(`${one}/pipelines`, async (c) => {
    const { schedule } = loadSchedule(c, false);
    const look = lookupsFor(c.get("deps"));
    const page = pageOf(await readParams(c));
    const { rows, total } = schedulesOf(c).pageOfPipelines(schedule.id, page);
    return paginated(
      c,
      page,
      total,
      rows.map((p) => pipelineBasic(p, look)),
    );
  });

  app.post(base, async (c) => {
    const p = parseParams(createSchema, await readParams(c));
    const access = loadProject(c, "admin_pipeline_schedules");
    const row = saved(c, access, null, fields(p));
    return c.json(scheduleEntity(row, lookupsFor(c.get("deps")), []), 201);
  });

  app.put(one, async (c) => {
    const p = parseParams(updateSchema, await readParams(c));
    const access = loadSchedule(c, true);
    const row = saved(c, access, access.schedule, fields(p));
    return c.json(scheduleEntity(row, lookupsFor(c.get("deps")), schedulesOf(c).variablesOf(row.id)));
  });

  app.post(`${one}/take_ownership`, (c) => {
    const { schedule, ...access } = loadSchedule(c, false);
    if (!can(access.actor, "take_schedule_ownership", access)) throw forbidden();
    const db = c.get("deps").store.db;
    const row = schedulesOf(c).update(schedule.id, { ownerId: requireActor(c).user.id });
    audit(db, {
      action: "pipeline_schedule_owner_changed",
      actor: access.actor,
      projectId: access.project.id,
      targetType: "PipelineSchedule",
      targetId: row.id,
      details: { from: schedule.ownerId },
      ip: clientIp(c),
    });
    return c.json(scheduleEntity(row, lookupsFor(c.get("deps")), schedulesOf(c).variablesOf(row.id)), 201);
  });

  app.delete(one, (c) => {
    const access = loadSchedule(c, true);
    const db = c.get("deps").store.db;
    schedulesOf(c).delete(access.schedule.id);
    c.get("deps").pipelines.schedulesChanged();
    audit(db, {
      action: "pipeline_schedule_deleted",
      actor: access.actor,
      projectId: access.project.id,
      targetType: "PipelineSchedule",
      targetId: access.schedule.id,
      ip: clientIp(c),
    });
    return c.body(null, 204);
  });

  /** Runs the schedule now as the caller (who must be allowed to run pipelines on its ref). */
  app.post(`${one}/play`, async (c) => {
    const { schedule, ...access } = loadSchedule(c, false);
    if (!can(access.actor, "create_pipeline", access)) throw forbidden();
    await c.get("deps").pipelines.playSchedule(schedule.id, requireActor(c).user.id);
    return c.json({ message: "201 Created" }, 201);
  });

  app.post(`${one}/variables`, async (c) => {
    const p = parseParams(variableSchema, await readParams(c));
    const { schedule } = loadSchedule(c, true);
    const problems = variableFieldErrors({ key: p.key, value: p.value, masked: false });
    if (Object.keys(problems).length > 0) throw invalid(problems);
    if (schedulesOf(c).findVariable(schedule.id, p.key)) throw conflict(`Variable '${p.key}' already exists`);
    const row = schedulesOf(c).insertVariable({
      scheduleId: schedule.id,
      key: p.key,
      value: p.value,
      variableType: p.variable_type ?? "env_var",
    });
    return c.json(scheduleVariableEntity(row), 201);
  });

  app.put(`${one}/variables/:key`, async (c) => {
    const p = parseParams(variableSchema.partial(), await readParams(c));
    const { schedule } = loadSchedule(c, true);
    const found = schedulesOf(c).findVariable(schedule.id, c.req.param("key"));
    if (!found) throw notFound("Variable");
    const row = c
      .get("deps")
      .store.repos.pipelineSchedules.updateVariable(found.id, { value: p.value, variableType: p.variable_type });
    return c.json(scheduleVariableEntity(row));
  });

  app.delete(`${one}/variables/:key`, (c) => {
    const { schedule } = loadSchedule(c, true);
    const found = schedulesOf(c).findVariable(schedule.id, c.req.param("key"));
    if (!found) throw notFound("Variable");
    schedulesOf(c).deleteVariable(found.id);
    return c.json(scheduleVariableEntity(found));
  });
  return app;
}
