// Project CI/CD variables for the settings page: list, add, change, remove, with GitLab's key and masking rules.
import { and, asc, eq } from "drizzle-orm";
import { invalid, notFound } from "../../../domain/errors.ts";
import { variableFieldErrors } from "../../../domain/variable-rules.ts";
import type { Db } from "../../../store/db.ts";
import type { VariableRow } from "../../../store/rows.ts";
import { variables } from "../../../store/schema.ts";

export interface VariableInput {
  key: string;
  /** `undefined` on change: keep the stored value (how a masked value is kept without ever showing it). */
  value?: string;
  masked: boolean;
  protected: boolean;
  /** GitLab's "Expand variable reference" unticked. */
  raw: boolean;
}

export function listVariables(db: Db, projectId: number): VariableRow[] {
  return db.select().from(variables).where(eq(variables.projectId, projectId)).orderBy(asc(variables.key)).all();
}

function check(input: VariableInput & { value: string }, projectId: number, db: Db, exceptId?: number): void {
  const fields = variableFieldErrors(input);
  if (input.value.length > 10_000) fields.value = ["is too long (maximum is 10000 characters)"];
  const taken = db
    .select({ id: variables.id })
    .from(variables)
    .where(and(eq(variables.projectId, projectId), eq(variables.key, input.key), eq(variables.environmentScope, "*")))
    .get();
  if (taken && taken.id !== exceptId && !fields.key) fields.key = [`(${input.key}) has already been taken`];
  if (Object.keys(fields).length > 0) throw invalid(fields);
}

export function createVariable(db: Db, projectId: number, input: VariableInput): VariableRow {
  const value = input.value ?? "";
  check({ ...input, value }, projectId, db);
  return db
    .insert(variables)
    .values({
      projectId,
      key: input.key,
      value,
      masked: input.masked,
      protected: input.protected,
      raw: input.raw,
    })
    .returning()
    .get();
}

export function findVariable(db: Db, projectId: number, id: number): VariableRow {
  const row = db
    .select()
    .from(variables)
    .where(and(eq(variables.id, id), eq(variables.projectId, projectId)))
    .get();
  if (!row) throw notFound("Variable");
  return row;
}

export function updateVariable(db: Db, current: VariableRow, input: VariableInput): VariableRow {
  const value = input.value === undefined || input.value === "" ? current.value : input.value;
  check({ ...input, value }, current.projectId, db, current.id);
  return db
    .update(variables)
    .set({ key: input.key, value, masked: input.masked, protected: input.protected, raw: input.raw })
    .where(eq(variables.id, current.id))
    .returning()
    .get()!;
}

export function deleteVariable(db: Db, current: VariableRow): void {
  db.delete(variables).where(eq(variables.id, current.id)).run();
}
