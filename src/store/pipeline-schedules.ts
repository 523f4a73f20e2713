// Pipeline schedules and their variables: rows per project, due schedules, and the bookkeeping of each run.
import { and, asc, eq, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import { type PageOf, type PageWindow, paginate } from "./paginate.ts";
import type { PipelineScheduleRow, PipelineScheduleVariableRow } from "./rows.ts";
import { pipelineSchedules, pipelineScheduleVariables, pipelines } from "./schema.ts";

export type ScheduleFields = Pick<PipelineScheduleRow, "description" | "ref" | "cron" | "cronTimezone" | "active">;

export function createPipelineSchedulesRepository({ db }: { db: DbHandle }) {
  const variablesWhere = (scheduleId: number, key: string) =>
    and(eq(pipelineScheduleVariables.scheduleId, scheduleId), eq(pipelineScheduleVariables.key, key));
  return {
    /** The project's schedules, oldest first; `active` filters by state. */
    pageOfProject(projectId: number, active: boolean | undefined, page: PageWindow): PageOf<PipelineScheduleRow> {
      const where = and(
        eq(pipelineSchedules.projectId, projectId),
        active === undefined ? undefined : eq(pipelineSchedules.active, active),
      );
      const query = db.select().from(pipelineSchedules).where(where).orderBy(asc(pipelineSchedules.id));
      return paginate(db, query, { table: pipelineSchedules, where }, page);
    },

    findInProject: (projectId: number, id: number): PipelineScheduleRow | null =>
      db
        .select()
        .from(pipelineSchedules)
        .where(and(eq(pipelineSchedules.projectId, projectId), eq(pipelineSchedules.id, id)))
        .get() ?? null,

    findById: (id: number): PipelineScheduleRow | null =>
      db.select().from(pipelineSchedules).where(eq(pipelineSchedules.id, id)).get() ?? null,

    insert: (
      values: ScheduleFields & { projectId: number; ownerId: number; nextRunAt: Date | null },
    ): PipelineScheduleRow => db.insert(pipelineSchedules).values(values).returning().get(),

    update: (
      id: number,
      values: Partial<ScheduleFields & { ownerId: number; nextRunAt: Date | null; lastPipelineId: number }>,
    ): PipelineScheduleRow =>
      db
        .update(pipelineSchedules)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(pipelineSchedules.id, id))
        .returning()
        .get()!,

    delete: (id: number): void => {
      db.delete(pipelineSchedules).where(eq(pipelineSchedules.id, id)).run();
    },

    /** Active schedules whose next run is at or before `now`, soonest first. */
    due: (now: Date): PipelineScheduleRow[] =>
      db
        .select()
        .from(pipelineSchedules)
        .where(and(eq(pipelineSchedules.active, true), lte(pipelineSchedules.nextRunAt, now)))
        .orderBy(asc(pipelineSchedules.nextRunAt))
        .all(),

    /** Active schedules whose next run is not computed yet (just made or edited). */
    withoutNextRun: (): PipelineScheduleRow[] =>
      db
        .select()
        .from(pipelineSchedules)
        .where(and(eq(pipelineSchedules.active, true), isNull(pipelineSchedules.nextRunAt)))
        .all(),

    /** The soonest next run of any active schedule, or null. */
    soonestRun(): Date | null {
      const row = db
        .select({ at: sql<number | null>`min(${pipelineSchedules.nextRunAt})` })
        .from(pipelineSchedules)
        .where(and(eq(pipelineSchedules.active, true), isNotNull(pipelineSchedules.nextRunAt)))
        .get();
      return row?.at == null ? null : new Date(row.at);
    },

    variablesOf: (scheduleId: number): PipelineScheduleVariableRow[] =>
      db
        .select()
        .from(pipelineScheduleVariables)
        .where(eq(pipelineScheduleVariables.scheduleId, scheduleId))
        .orderBy(asc(pipelineScheduleVariables.id))
        .all(),

    findVariable: (scheduleId: number, key: string): PipelineScheduleVariableRow | null =>
      db.select().from(pipelineScheduleVariables).where(variablesWhere(scheduleId, key)).get() ?? null,

    insertVariable: (values: Omit<PipelineScheduleVariableRow, "id">): PipelineScheduleVariableRow =>
      db.insert(pipelineScheduleVariables).values(values).returning().get(),

    updateVariable: (
      id: number,
      values: Partial<Pick<PipelineScheduleVariableRow, "value" | "variableType">>,
    ): PipelineScheduleVariableRow =>
      db.update(pipelineScheduleVariables).set(values).where(eq(pipelineScheduleVariables.id, id)).returning().get()!,

    deleteVariable: (id: number): void => {
      db.delete(pipelineScheduleVariables).where(eq(pipelineScheduleVariables.id, id)).run();
    },

    /** Replaces all of a schedule's variables (the Schedules page edits them as one list). */
    replaceVariables(scheduleId: number, vars: { key: string; value: string }[]): void {
      db.delete(pipelineScheduleVariables).where(eq(pipelineScheduleVariables.scheduleId, scheduleId)).run();
      if (vars.length > 0)
        db.insert(pipelineScheduleVariables)
          .values(vars.map((v) => ({ scheduleId, key: v.key, value: v.value })))
          .run();
    },

    /** The pipelines a schedule started, oldest first. */
    pageOfPipelines(scheduleId: number, page: PageWindow) {
      const where = eq(pipelines.scheduleId, scheduleId);
      return paginate(
        db,
        db.select().from(pipelines).where(where).orderBy(asc(pipelines.id)),
        { table: pipelines, where },
        page,
      );
    },
  };
}
