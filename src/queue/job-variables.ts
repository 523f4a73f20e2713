// The variables a job sees, in rising precedence: predefined, global YAML, job YAML, dotenv, project, pipeline.
import type { PayloadVariable } from "../domain/coordinator.ts";
import { environmentSlug, guessTier, scopeMatches, scopeRank } from "../domain/environment-name.ts";
import { isProtectedRef } from "../domain/protected-branch.ts";
import { slugify } from "../domain/variables.ts";
import type { EnvironmentSpec } from "../pipeline/types.ts";
import type { JobRow, PipelineRow, ProjectRow, UserRow, VariableRow } from "../store/rows.ts";
import { predefinedVariables } from "./predefined-variables.ts";

export interface VariableContext {
  externalUrl: string;
  project: ProjectRow;
  pipeline: PipelineRow;
  projectVariables: VariableRow[];
  /** The project's protected branch patterns (rows of protected_branches); absent: only the default branch. */
  protectedBranches?: readonly string[];
  /** Who started the pipeline, for GITLAB_USER_*. */
  user?: UserRow | null;
  /** The job's CI_JOB_TOKEN, for CI_REPOSITORY_URL (absent when the pipeline is created: `[MASKED]` stands in). */
  jobToken?: string;
  /** The URL the job's environment has from earlier deployments: CI_ENVIRONMENT_URL when the job names none. */
  environmentUrl?: string | null;
}

const plain = (key: string, value: string): PayloadVariable => ({ key, value, masked: false, raw: true });

/** Variables known when the pipeline is created: what `rules:if` and `workflow:rules` see. */
export function pipelineVariables(ctx: VariableContext): PayloadVariable[] {
  return predefinedVariables({ ...ctx, protectedBranches: ctx.protectedBranches ?? [ctx.project.defaultBranch] });
}

/** Whether the pipeline's ref is protected (protected branches; the default branch when none are listed). */
export function refIsProtected(ctx: VariableContext): boolean {
  const patterns = ctx.protectedBranches ?? [ctx.project.defaultBranch];
  return isProtectedRef(patterns, { name: ctx.pipeline.ref, tag: ctx.pipeline.tag });
}

/**
 * Project variables the pipeline may see: protected ones only on protected branches (never on tags), and those of
 * an `environment_scope` other than `*` only in jobs of a matching environment, the most specific scope winning (a
 * later entry wins). Without `environment` (pipeline creation, jobs without one) only `*` ones.
 */
export function visibleProjectVariables(ctx: VariableContext, environment: string | null = null): PayloadVariable[] {
  const protectedRef = refIsProtected(ctx);
  return ctx.projectVariables
    .filter((v) => (!v.protected || protectedRef) && scopeMatches(v.environmentScope, environment))
    .sort((a, b) => scopeRank(a.environmentScope) - scopeRank(b.environmentScope))
    .map((v) => ({ key: v.key, value: v.value, masked: v.masked, raw: v.raw }));
}

/**
 * Every variable of one job, lowest precedence first (a later key wins). `inherited` (dotenv reports of its
 * dependencies) sits above the YAML and below project variables, as in GitLab.
 */
export function jobVariables(ctx: VariableContext, job: JobRow, inherited: PayloadVariable[] = []): PayloadVariable[] {
  const { project, externalUrl } = ctx;
  const spec = job.spec;
  const jobVars: PayloadVariable[] = [
    plain("CI_JOB_ID", String(job.id)),
    plain("CI_JOB_NAME", job.name),
    plain("CI_JOB_NAME_SLUG", slugify(job.name)),
    plain("CI_JOB_STAGE", job.stage),
    plain("CI_JOB_URL", `${externalUrl}/${project.namespace}/${project.path}/-/jobs/${job.id}`),
    plain("CI_JOB_TIMEOUT", String(job.timeoutSeconds ?? 3600)),
    plain("CI_JOB_STARTED_AT", new Date(job.startedAt ?? Date.now()).toISOString().replace(/\.\d+Z$/, "Z")),
    plain("CI_JOB_MANUAL", spec.when === "manual" ? "true" : ""),
    plain("CI_RUNNER_ID", String(job.runnerId ?? "")),
    plain("CI_JOB_IMAGE", spec.image?.name ?? ""),
    plain("CI_PIPELINE_NAME", ctx.pipeline.name ?? ""),
  ].filter((v) => v.value !== "");
  if (spec.environment) jobVars.push(...environmentVariables(spec.environment, ctx.environmentUrl ?? null));
  if (spec.parallel) {
    jobVars.push(
      plain("CI_NODE_INDEX", String(spec.parallel.index)),
      plain("CI_NODE_TOTAL", String(spec.parallel.total)),
      plain("CI_JOB_GROUP_NAME", spec.baseName),
    );
  }
  const yaml = (list: { key: string; value: string; raw: boolean }[]) =>
    list.map((v) => ({ key: v.key, value: v.value, masked: false, raw: v.raw }));
  return [
    ...pipelineVariables(ctx),
    ...jobVars,
    ...yaml(ctx.pipeline.yamlVariables),
    ...yaml(spec.variables),
    ...inherited,
    ...visibleProjectVariables(ctx, spec.environment?.name ?? null),
    ...ctx.pipeline.variables.map((v) => ({ key: v.key, value: v.value, masked: false, raw: false })),
  ];
}

/** GitLab's `CI_ENVIRONMENT_*` for a job with `environment` (the url: the job's own, else the environment's). */
function environmentVariables(env: EnvironmentSpec, knownUrl: string | null): PayloadVariable[] {
  const vars = [
    plain("CI_ENVIRONMENT_NAME", env.name),
    plain("CI_ENVIRONMENT_SLUG", environmentSlug(env.name)),
    plain("CI_ENVIRONMENT_ACTION", env.action),
    plain("CI_ENVIRONMENT_TIER", env.deploymentTier ?? guessTier(env.name)),
  ];
  const url = env.url || knownUrl;
  if (url) vars.push(plain("CI_ENVIRONMENT_URL", url));
  return vars;
}
