// Builds the payload a runner receives for a job it was given.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { JobPayload, JobSources } from "../domain/coordinator.ts";
import type { JobRow, PipelineRow, ProjectRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";
import { dependencyJobs, dotenvVariables, hasArchive, payloadArtifacts } from "./job-artifacts.ts";
import { payloadCaches } from "./job-caches.ts";
import { jobVariables, refIsProtected } from "./job-variables.ts";
import { loadVariableContext } from "./variable-context.ts";

/** The job's checkout: from import_url, from the repository `git push` filled, or none (inline ci_config). */
function sourcesOf(q: QueueContext, project: ProjectRow, pipeline: PipelineRow): JobSources {
  const at = { sha: pipeline.sha, ref: pipeline.ref, tag: pipeline.tag };
  if (project.importUrl) return { kind: "git", url: project.importUrl, ...at };
  const hosted = join(q.reposDir, `${project.id}.git`);
  return existsSync(join(hosted, "HEAD")) ? { kind: "git", url: hosted, ...at } : { kind: "none" };
}

const CACHE_DEFAULTS = { untracked: false, when: "on_success", fallbackKeys: [], unprotect: false } as const;

/** The external URL the job's environment already has (for a stop job, say, which names no url). */
function environmentUrlOf(q: QueueContext, job: JobRow): string | null {
  const name = job.spec.environment?.name;
  return name ? (q.repos.environments.findByName(job.projectId, name)?.externalUrl ?? null) : null;
}

export function buildPayload(q: QueueContext, job: JobRow, token: string): JobPayload {
  const pipeline = q.repos.pipelines.findById(job.pipelineId);
  const project = q.repos.projects.findById(job.projectId);
  if (!pipeline || !project) throw new Error(`job ${job.id} lost its pipeline or project`);
  const spec = job.spec;
  const dependencies = dependencyJobs(q, job);
  const variableContext = loadVariableContext(q, project, pipeline);
  return {
    id: job.id,
    token,
    name: job.name,
    stage: job.stage,
    pipelineId: pipeline.id,
    projectId: project.id,
    projectPath: `${project.namespace}/${project.path}`,
    sources: sourcesOf(q, project, pipeline),
    beforeScript: spec.beforeScript,
    script: spec.script,
    afterScript: spec.afterScript,
    image: spec.image,
    services: spec.services,
    variables: [
      ...jobVariables(
        { ...variableContext, jobToken: token, environmentUrl: environmentUrlOf(q, job) },
        job,
        dotenvVariables(q, dependencies),
      ),
      { key: "CI_JOB_TOKEN", value: token, masked: true, raw: true },
    ],
    timeoutSeconds: job.timeoutSeconds ?? q.defaultTimeoutSeconds,
    warnings: spec.warnings ?? [],
    // A job stored before caches were read in full lacks their newer fields: their defaults then apply.
    caches: payloadCaches(
      (spec.cache ?? []).map((c) => ({ ...CACHE_DEFAULTS, ...c })),
      project.jobsCacheIndex,
      refIsProtected(variableContext),
    ),
    artifacts: payloadArtifacts(spec),
    dependencies: dependencies.filter((d) => hasArchive(q, d.id)).map((d) => ({ id: d.id, name: d.name })),
    artifactLimits: q.artifacts.limits,
    ...debugOf(spec, project),
  };
}

/** The job's `debug:` (with its breakpoint), the project's default wait when the YAML names none; nothing when off. */
function debugOf(spec: JobRow["spec"], project: ProjectRow): Pick<JobPayload, "debug"> {
  const onFailure = spec.debug?.onFailure ?? project.debugOnFailure ?? 0;
  const breakpoint = spec.debug?.breakpoint;
  if (onFailure <= 0 && !breakpoint) return {};
  return { debug: { onFailure, ...(breakpoint ? { breakpoint } : {}) } };
}
