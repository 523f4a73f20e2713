// A project's CI/CD variables: lists, lookups by id or key (and environment scope), changes.
import { and, asc, eq } from "drizzle-orm";
import type { DbHandle } from "./db.ts";
import { type PageOf, type PageWindow, paginate } from "./paginate.ts";
import type { VariableRow } from "./rows.ts";
import { variables } from "./schema.ts";

export type NewVariableRow = typeof variables.$inferInsert;

export function createVariablesRepository({ db }: { db: DbHandle }) {
  return {
    ofProject: (projectId: number): VariableRow[] =>
      db.select().from(variables).where(eq(variables.projectId, projectId)).all(),

    ofProjectByKey: (projectId: number): VariableRow[] =>
      db.select().from(variables).where(eq(variables.projectId, projectId)).orderBy(asc(variables.key)).all(),

    pageOfProject(projectId: number, page: PageWindow): PageOf<VariableRow> {
      const where = eq(variables.projectId, projectId);
      const query = db.select().from(variables).where(where).orderBy(asc(variables.id));
      return paginate(db, query, { table: variables, where }, page);
    },

    findInProject: (projectId: number, id: number): VariableRow | null =>
      db
        .select()
        .from(variables)
        .where(and(eq(variables.id, id), eq(variables.projectId, projectId)))
        .get() ?? null,

    /** The project's variables named `key`, in one environment scope or in all of them. */
    withKey: (projectId: number, key: string, environmentScope?: string): VariableRow[] =>
      db
        .select()
        .from(variables)
        .where(
          and(
            eq(variables.projectId, projectId),
            eq(variables.key, key),
            environmentScope === undefined ? undefined : eq(variables.environmentScope, environmentScope),
          ),
        )
        .all(),

    insert: (values: NewVariableRow): VariableRow => db.insert(variables).values(values).returning().get(),

    update: (id: number, changes: Partial<NewVariableRow>): VariableRow =>
      db.update(variables).set(changes).where(eq(variables.id, id)).returning().get()!,

    delete(id: number): void {
      db.delete(variables).where(eq(variables.id, id)).run();
    },
  };
}
