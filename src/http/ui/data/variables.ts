// Project CI/CD variables for the settings page: list, add, change, remove, with GitLab's key and masking rules.
import { invalid, notFound } from "../../../domain/errors.ts";
import { variableFieldErrors } from "../../../domain/variable-rules.ts";
import type { Db } from "../../../store/db.ts";
import { repositoriesOf } from "../../../store/repositories.ts";
import type { VariableRow } from "../../../store/rows.ts";

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
  return repositoriesOf(db).variables.ofProjectByKey(projectId);
}

function check(input: VariableInput & { value: string }, projectId: number, db: Db, exceptId?: number): void {
  const fields = variableFieldErrors(input);
  if (input.value.length > 10_000) fields.value = ["is too long (maximum is 10000 characters)"];
  const taken = repositoriesOf(db).variables.withKey(projectId, input.key, "*")[0];
  if (taken && taken.id !== exceptId && !fields.key) fields.key = [`(${input.key}) has already been taken`];
  if (Object.keys(fields).length > 0) throw invalid(fields);
}

export function createVariable(db: Db, projectId: number, input: VariableInput): VariableRow {
  const value = input.value ?? "";
  check({ ...input, value }, projectId, db);
  return repositoriesOf(db).variables.insert({
    projectId,
    key: input.key,
    value,
    masked: input.masked,
    protected: input.protected,
    raw: input.raw,
  });
}

export function findVariable(db: Db, projectId: number, id: number): VariableRow {
  const row = repositoriesOf(db).variables.findInProject(projectId, id);
  if (!row) throw notFound("Variable");
  return row;
}

export function updateVariable(db: Db, current: VariableRow, input: VariableInput): VariableRow {
  const value = input.value === undefined || input.value === "" ? current.value : input.value;
  check({ ...input, value }, current.projectId, db, current.id);
  return repositoriesOf(db).variables.update(current.id, {
    key: input.key,
    value,
    masked: input.masked,
    protected: input.protected,
    raw: input.raw,
  });
}

export function deleteVariable(db: Db, current: VariableRow): void {
  repositoriesOf(db).variables.delete(current.id);
}
