// Row types of the schema, for code that passes rows around.
import type * as s from "./schema.ts";

export type UserRow = typeof s.users.$inferSelect;
export type TokenRow = typeof s.personalAccessTokens.$inferSelect;
export type ProjectRow = typeof s.projects.$inferSelect;
export type MemberRow = typeof s.members.$inferSelect;
export type VariableRow = typeof s.variables.$inferSelect;
export type PipelineRow = typeof s.pipelines.$inferSelect;
export type JobRow = typeof s.jobs.$inferSelect;
export type RunnerRow = typeof s.runners.$inferSelect;
export type TriggerRow = typeof s.triggers.$inferSelect;
export type WebSessionRow = typeof s.webSessions.$inferSelect;
export type TerminalSessionRow = typeof s.terminalSessions.$inferSelect;
export type TerminalShareLinkRow = typeof s.terminalShareLinks.$inferSelect;
export type AuditEventRow = typeof s.auditEvents.$inferSelect;
export type ProtectedBranchRow = typeof s.protectedBranches.$inferSelect;
export type WebhookSecretRow = typeof s.webhookSecrets.$inferSelect;
export type PipelineScheduleRow = typeof s.pipelineSchedules.$inferSelect;
export type PipelineScheduleVariableRow = typeof s.pipelineScheduleVariables.$inferSelect;
export type CommitStatusRow = typeof s.commitStatuses.$inferSelect;
export type JobArtifactRow = typeof s.jobArtifacts.$inferSelect;
export type EnvironmentRow = typeof s.environments.$inferSelect;
export type DeploymentRow = typeof s.deployments.$inferSelect;
export type ResourceGroupRow = typeof s.resourceGroups.$inferSelect;
