// Pipeline schedules and their variables: rows per project, due schedules, and the bookkeeping of each run.
import { and, asc, eq, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "./db.ts";
import type { PipelineScheduleRow, PipelineScheduleVariableRow } from "./rows.ts";
import { pipelineSchedules, pipelineScheduleVariables, pipelines } from "./schema.ts";

export type ScheduleFields = Pick<PipelineScheduleRow, "description" | "ref" | "cron" | "cronTimezone" | "active">;

export function listSchedules(
  db: Db,
  projectId: number,
  opts: { active?: boolean; limit: number; offset: number },
): { rows: PipelineScheduleRow[]; total: number } {
  const where = and(
    eq(pipelineSchedules.projectId, projectId),
    opts.active === undefined ? undefined : eq(pipelineSchedules.active, opts.active),
  );
  const rows = db
    .select()
    .from(pipelineSchedules)
    .where(where)
    .orderBy(asc(pipelineSchedules.id))
    .limit(opts.limit)
    .offset(opts.offset)
    .all();
  const total = db.select({ n: sql<number>`count(*)` }).from(pipelineSchedules).where(where).get()?.n ?? 0;
  return { rows, total };
}

export function findSchedule(db: Db, projectId: number, id: number): PipelineScheduleRow | null {
  const where = and(eq(pipelineSchedules.projectId, projectId), eq(pipelineSchedules.id, id));
  return db.select().from(pipelineSchedules).where(where).get() ?? null;
}

export function findScheduleById(db: Db, id: number): PipelineScheduleRow | null {
  return db.select().from(pipelineSchedules).where(eq(pipelineSchedules.id, id)).get() ?? null;
}

export function insertSchedule(
  db: Db,
  values: ScheduleFields & { projectId: number; ownerId: number; nextRunAt: Date | null },
): PipelineScheduleRow {
  return db.insert(pipelineSchedules).values(values).returning().get();
}

export function updateSchedule(
  db: Db,
  id: number,
  values: Partial<ScheduleFields & { ownerId: number; nextRunAt: Date | null; lastPipelineId: number }>,
): PipelineScheduleRow {
  return db
    .update(pipelineSchedules)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(pipelineSchedules.id, id))
    .returning()
    .get()!;
}

export function deleteSchedule(db: Db, id: number): void {
  db.delete(pipelineSchedules).where(eq(pipelineSchedules.id, id)).run();
}

/** Active schedules whose next run is at or before `now`, soonest first. */
export function dueSchedules(db: Db, now: Date): PipelineScheduleRow[] {
  return db
    .select()
    .from(pipelineSchedules)
    .where(and(eq(pipelineSchedules.active, true), lte(pipelineSchedules.nextRunAt, now)))
    .orderBy(asc(pipelineSchedules.nextRunAt))
    .all();
}

/** Active schedules whose next run is not computed yet (just made or edited). */
export function schedulesWithoutNextRun(db: Db): PipelineScheduleRow[] {
  return db
    .select()
    .from(pipelineSchedules)
    .where(and(eq(pipelineSchedules.active, true), isNull(pipelineSchedules.nextRunAt)))
    .all();
}

/** The soonest next run of any active schedule, or null. */
export function soonestRun(db: Db): Date | null {
  const row = db
    .select({ at: sql<number | null>`min(${pipelineSchedules.nextRunAt})` })
    .from(pipelineSchedules)
    .where(and(eq(pipelineSchedules.active, true), isNotNull(pipelineSchedules.nextRunAt)))
    .get();
  return row?.at == null ? null : new Date(row.at);
}

export function scheduleVariables(db: Db, scheduleId: number): PipelineScheduleVariableRow[] {
  return db
    .select()
    .from(pipelineScheduleVariables)
    .where(eq(pipelineScheduleVariables.scheduleId, scheduleId))
    .orderBy(asc(pipelineScheduleVariables.id))
    .all();
}

export function findScheduleVariable(db: Db, scheduleId: number, key: string): PipelineScheduleVariableRow | null {
  const where = and(eq(pipelineScheduleVariables.scheduleId, scheduleId), eq(pipelineScheduleVariables.key, key));
  return db.select().from(pipelineScheduleVariables).where(where).get() ?? null;
}

export function insertScheduleVariable(
  db: Db,
  values: Omit<PipelineScheduleVariableRow, "id">,
): PipelineScheduleVariableRow {
  return db.insert(pipelineScheduleVariables).values(values).returning().get();
}

export function updateScheduleVariable(
  db: Db,
  id: number,
  values: Partial<Pick<PipelineScheduleVariableRow, "value" | "variableType">>,
): PipelineScheduleVariableRow {
  return db
    .update(pipelineScheduleVariables)
    .set(values)
    .where(eq(pipelineScheduleVariables.id, id))
    .returning()
    .get()!;
}

export function deleteScheduleVariable(db: Db, id: number): void {
  db.delete(pipelineScheduleVariables).where(eq(pipelineScheduleVariables.id, id)).run();
}

/** Pipelines a schedule started (source `schedule`, recorded by id), newest first. */
export function schedulePipelineIds(db: Db, scheduleId: number): number[] {
  return db
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(eq(pipelines.scheduleId, scheduleId))
    .orderBy(asc(pipelines.id))
    .all()
    .map((r) => r.id);
}

/** Replaces all of a schedule's variables (the Schedules page edits them as one list). */
export function replaceScheduleVariables(db: Db, scheduleId: number, vars: { key: string; value: string }[]): void {
  db.transaction((tx) => {
    tx.delete(pipelineScheduleVariables).where(eq(pipelineScheduleVariables.scheduleId, scheduleId)).run();
    if (vars.length > 0)
      tx.insert(pipelineScheduleVariables)
        .values(vars.map((v) => ({ scheduleId, key: v.key, value: v.value })))
        .run();
  });
}
