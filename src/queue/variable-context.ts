// Loads what the variables of a pipeline's jobs depend on: the project's variables and protected branch patterns.
import { eq } from "drizzle-orm";
import { findUserById } from "../auth/users.ts";
import type { PipelineRow, ProjectRow } from "../store/rows.ts";
import { protectedBranches, variables } from "../store/schema.ts";
import type { QueueContext } from "./context.ts";
import type { VariableContext } from "./job-variables.ts";

export function loadVariableContext(q: QueueContext, project: ProjectRow, pipeline: PipelineRow): VariableContext {
  const projectVariables = q.db.select().from(variables).where(eq(variables.projectId, project.id)).all();
  const patterns = q.db
    .select({ name: protectedBranches.name })
    .from(protectedBranches)
    .where(eq(protectedBranches.projectId, project.id))
    .all()
    .map((r) => r.name);
  const user = pipeline.userId === null ? null : findUserById(q.db, pipeline.userId);
  return { externalUrl: q.externalUrl, project, pipeline, projectVariables, protectedBranches: patterns, user };
}
