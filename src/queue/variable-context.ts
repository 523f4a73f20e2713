// Loads what the variables of a pipeline's jobs depend on: the project's variables and protected branch patterns.
import type { PipelineRow, ProjectRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";
import type { VariableContext } from "./job-variables.ts";

export function loadVariableContext(q: QueueContext, project: ProjectRow, pipeline: PipelineRow): VariableContext {
  const projectVariables = q.repos.variables.ofProject(project.id);
  const patterns = q.repos.protectedBranches.ofProject(project.id).map((r) => r.name);
  const user = pipeline.userId === null ? null : q.repos.users.findById(pipeline.userId);
  return { externalUrl: q.externalUrl, project, pipeline, projectVariables, protectedBranches: patterns, user };
}
