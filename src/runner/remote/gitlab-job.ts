// Maps the job GitLab's `POST /jobs/request` returns (steps, variables, image, services, git_info) to a JobPayload.
import { z } from "zod";
import type { JobPayload, PayloadVariable } from "../../domain/coordinator.ts";
import { parseBreakpoint } from "../../domain/debug.ts";
import type { ImageSpec, ServiceSpec } from "../../domain/job-spec.ts";

const variableSchema = z.object({
  key: z.string(),
  value: z.string().nullish(),
  masked: z.boolean().nullish(),
  raw: z.boolean().nullish(),
});

const stepSchema = z.object({
  name: z.string(),
  script: z.array(z.string()).nullish(),
  timeout: z.number().nullish(),
});

const imageSchema = z.object({
  name: z.string().min(1),
  alias: z.string().nullish(),
  entrypoint: z.array(z.string()).nullish(),
  command: z.array(z.string()).nullish(),
  variables: z.array(variableSchema).nullish(),
});

const cacheSchema = z.object({
  key: z.string().nullish(),
  paths: z.array(z.string()).nullish(),
  untracked: z.boolean().nullish(),
  policy: z.enum(["pull", "push", "pull-push"]).nullish(),
  when: z.enum(["on_success", "on_failure", "always"]).nullish(),
  fallback_keys: z.array(z.string()).nullish(),
});

const artifactSchema = z.object({
  artifact_type: z.string().nullish(),
  paths: z.array(z.string()).nullish(),
  exclude: z.array(z.string()).nullish(),
  untracked: z.boolean().nullish(),
  when: z.enum(["on_success", "on_failure", "always"]).nullish(),
});

const dependencySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  artifacts_file: z.object({ filename: z.string().nullish() }).nullish(),
});

/** The fields of GitLab's job response porthole's runner reads (everything else is ignored). */
export const gitlabJobSchema = z.object({
  id: z.number().int().positive(),
  token: z.string().min(1),
  job_info: z.object({
    name: z.string(),
    stage: z.string(),
    project_id: z.number().int(),
  }),
  git_info: z
    .object({
      repo_url: z.string().nullish(),
      ref: z.string().nullish(),
      sha: z.string().nullish(),
      ref_type: z.string().nullish(),
    })
    .nullish(),
  runner_info: z.object({ timeout: z.number().int().nullish() }).nullish(),
  variables: z.array(variableSchema).nullish(),
  steps: z.array(stepSchema).nullish(),
  image: imageSchema.nullish(),
  services: z.array(imageSchema).nullish(),
  cache: z.array(cacheSchema).nullish(),
  artifacts: z.array(artifactSchema).nullish(),
  dependencies: z.array(dependencySchema).nullish(),
  /** Porthole's own (a porthole server sends it for a debugged job; GitLab never does). */
  porthole_debug: z
    .object({
      on_failure: z.number().int().nonnegative(),
      breakpoint: z.string().nullish(),
      before_script_lines: z.number().int().nonnegative(),
    })
    .nullish(),
});
export type GitlabJob = z.output<typeof gitlabJobSchema>;

const variable = (v: z.output<typeof variableSchema>): PayloadVariable => ({
  key: v.key,
  value: v.value ?? "",
  masked: v.masked ?? false,
  raw: v.raw ?? false,
});

function imageOf(image: z.output<typeof imageSchema> | null | undefined): ImageSpec | undefined {
  if (!image) return undefined;
  return image.entrypoint ? { name: image.name, entrypoint: image.entrypoint } : { name: image.name };
}

function serviceOf(service: z.output<typeof imageSchema>): ServiceSpec {
  return {
    name: service.name,
    ...(service.alias ? { alias: service.alias } : {}),
    ...(service.entrypoint ? { entrypoint: service.entrypoint } : {}),
    ...(service.command ? { command: service.command } : {}),
    variables: (service.variables ?? []).map((v) => ({ key: v.key, value: v.value ?? "", raw: v.raw ?? false })),
  };
}

/**
 * The runner's view of a GitLab job. The `script` step already holds before_script + script (GitLab joins them);
 * the project path and pipeline id come from the predefined variables, as gitlab-runner reads them.
 */
export function toJobPayload(job: GitlabJob, artifactLimits: JobPayload["artifactLimits"]): JobPayload {
  const variables = (job.variables ?? []).map(variable);
  const lookup = (key: string) => variables.findLast((v) => v.key === key)?.value;
  const step = (name: string) => job.steps?.find((s) => s.name === name)?.script ?? [];
  const git = job.git_info;
  const repoUrl = git?.repo_url ?? "";
  const debug = job.porthole_debug;
  const joined = step("script");
  const split = debug ? Math.min(debug.before_script_lines, joined.length) : 0;
  const breakpoint = debug?.breakpoint ? parseBreakpoint(debug.breakpoint) : null;
  return {
    id: job.id,
    token: job.token,
    name: job.job_info.name,
    stage: job.job_info.stage,
    pipelineId: Number(lookup("CI_PIPELINE_ID") ?? 0),
    projectId: job.job_info.project_id,
    projectPath: lookup("CI_PROJECT_PATH") ?? "",
    sources:
      repoUrl && git?.sha && lookup("GIT_STRATEGY") !== "none"
        ? { kind: "git", url: repoUrl, sha: git.sha, ref: git.ref ?? "", tag: git.ref_type === "tag" }
        : { kind: "none" },
    beforeScript: joined.slice(0, split),
    script: joined.slice(split),
    afterScript: step("after_script"),
    image: imageOf(job.image),
    services: (job.services ?? []).map(serviceOf),
    variables:
      lookup("CI_JOB_TOKEN") === undefined
        ? [...variables, { key: "CI_JOB_TOKEN", value: job.token, masked: true, raw: true }]
        : variables,
    timeoutSeconds: job.runner_info?.timeout ?? 0,
    // The server sends each key complete (its index and protection suffix included): nothing is appended here.
    caches: (job.cache ?? []).map((c) => ({
      key: c.key || "default",
      paths: c.paths ?? [],
      untracked: c.untracked ?? false,
      policy: c.policy ?? "pull-push",
      when: c.when ?? "on_success",
      fallbackKeys: c.fallback_keys ?? [],
      keySuffix: "",
    })),
    artifacts: (job.artifacts ?? []).map((a) => ({
      type: a.artifact_type || "archive",
      paths: a.paths ?? [],
      exclude: a.exclude ?? [],
      untracked: a.untracked ?? false,
      when: a.when ?? "on_success",
    })),
    // Only dependencies with an archive are downloaded, as gitlab-runner does.
    dependencies: (job.dependencies ?? []).filter((d) => d.artifacts_file).map((d) => ({ id: d.id, name: d.name })),
    artifactLimits,
    ...(debug ? { debug: { onFailure: debug.on_failure, ...(breakpoint ? { breakpoint } : {}) } } : {}),
  };
}
