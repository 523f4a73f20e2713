// The server's side of job artifacts: what a job collects and downloads, storing uploads, serving downloads.
import { ArtifactRefused, type ArtifactUpload, type PayloadArtifact } from "../domain/artifacts.ts";
import type { PayloadVariable } from "../domain/coordinator.ts";
import { expandValue } from "../domain/variables.ts";
import { parseDuration } from "../pipeline/duration.ts";
import type { PlanJob } from "../pipeline/types.ts";
import type { JobRow, PipelineRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";
import { readDotenv } from "./dotenv.ts";

/** What storing and serving artifacts needs: the repositories and the one artifact store (local and remote runners). */
export type ArtifactContext = Pick<QueueContext, "repos" | "artifacts">;

/** GitLab's default `expire_in` (the instance setting's default). */
const DEFAULT_EXPIRE_SECONDS = 30 * 86_400;

/** The payload's `artifacts`: the archive, then one entry per report type (reports are always collected). */
export function payloadArtifacts(spec: PlanJob): PayloadArtifact[] {
  const a = spec.artifacts;
  if (!a) return [];
  const out: PayloadArtifact[] = [];
  if (a.paths.length > 0 || a.untracked)
    out.push({ type: "archive", paths: a.paths, exclude: a.exclude, untracked: a.untracked ?? false, when: a.when });
  for (const [type, paths] of Object.entries(a.reports ?? {}))
    out.push({ type, paths, exclude: [], untracked: false, when: "always" });
  return out;
}

/**
 * The earlier jobs whose artifacts `job` gets, GitLab's way: `dependencies` by name (`[]`: none); else its `needs`
 * without `artifacts: false`; else every job of the earlier stages. Current tries only. Then the jobs its
 * `needs:pipeline:job` name in its upstream pipelines.
 */
export function dependencyJobs(q: ArtifactContext, job: JobRow): JobRow[] {
  return [...sameDependencies(q, job), ...crossPipelineDependencies(q, job)];
}

function sameDependencies(q: ArtifactContext, job: JobRow): JobRow[] {
  const current = q.repos.jobs.currentOfPipelines([job.pipelineId]).filter((j) => j.id !== job.id);
  const earlier = current.filter((j) => j.stageIdx < job.stageIdx);
  const spec = job.spec;
  if (spec.dependencies) {
    // With `needs`, a dependency may sit in the same stage (it is one of the needs).
    const names = new Set(spec.dependencies);
    return (spec.needs ? current : earlier).filter((j) => names.has(j.name));
  }
  if (!spec.needs) return earlier;
  const wanted = new Set(spec.needs.filter((n) => n.artifacts !== false).map((n) => n.job));
  return current.filter((j) => wanted.has(j.name) || wanted.has(j.spec.baseName));
}

/**
 * GitLab's cross-pipeline dependencies of a child pipeline's job: `{pipeline, job}` with `pipeline` ($VARIABLES of the
 * pipeline and the job expanded) naming one of the job's ancestors in its own project; others give nothing.
 */
function crossPipelineDependencies(q: ArtifactContext, job: JobRow): JobRow[] {
  const needs = (job.spec.crossPipelineNeeds ?? []).filter((n) => n.artifacts);
  const pipeline = needs.length > 0 ? q.repos.pipelines.findById(job.pipelineId) : null;
  if (!pipeline) return [];
  const values = new Map<string, string>([["CI_PIPELINE_ID", String(pipeline.id)]]);
  for (const v of [...pipeline.yamlVariables, ...job.spec.variables, ...pipeline.variables]) values.set(v.key, v.value);
  const ancestors = new Map<number, PipelineRow>();
  for (let at = pipeline; at.source === "parent_pipeline" && at.upstreamPipelineId !== null; ) {
    const up = q.repos.pipelines.findById(at.upstreamPipelineId);
    if (!up || up.projectId !== pipeline.projectId || ancestors.has(up.id)) break;
    ancestors.set(up.id, up);
    at = up;
  }
  return needs.flatMap((need) => {
    const id = Number(expandValue(need.pipeline, (name) => values.get(name)));
    if (!ancestors.has(id)) return [];
    const found = q.repos.jobs.currentOfPipeline(id).find((j) => j.name === need.job && j.kind === "build");
    return found ? [found] : [];
  });
}

/** Whether the job stored an archive (expired ones count: the dependent job must fail, not go without). */
export function hasArchive(q: ArtifactContext, jobId: number): boolean {
  return q.artifacts.find(jobId, "archive") !== undefined || q.artifacts.expired(jobId, "archive");
}

/** The `reports:dotenv` variables of the dependencies, later jobs winning (GitLab passes them to later jobs). */
export function dotenvVariables(q: QueueContext, dependencies: JobRow[]): PayloadVariable[] {
  const out: PayloadVariable[] = [];
  for (const dep of dependencies) {
    const row = q.artifacts.find(dep.id, "dotenv");
    const zip = row && q.artifacts.read(row);
    if (!zip) continue;
    for (const v of readDotenv(zip, q.artifacts.limits))
      out.push({ key: v.key, value: v.value, masked: false, raw: true });
  }
  return out;
}

/** Stores an upload of running job `jobId`, expiring as its `expire_in` says. */
export function storeUpload(q: ArtifactContext, jobId: number, upload: ArtifactUpload): void {
  const job = q.repos.jobs.findById(jobId);
  if (!job) throw new ArtifactRefused("the job is gone", 404);
  if (upload.type === "dotenv") readDotenv(upload.bytes, q.artifacts.limits); // refuses a malformed report
  q.artifacts.save(job, upload.type, upload.bytes, expiryOf(job.spec));
  q.artifacts.sweepExpired();
}

function expiryOf(spec: PlanJob): Date | null {
  const text = spec.artifacts?.expireIn;
  if (text?.toLowerCase() === "never") return null;
  const seconds = text ? (parseDuration(text) ?? DEFAULT_EXPIRE_SECONDS) : DEFAULT_EXPIRE_SECONDS;
  return new Date(Date.now() + seconds * 1000);
}

/** The archive of `dependencyId` for running job `jobId`: only a dependency of that job, in its pipeline. */
export function dependencyArchive(q: ArtifactContext, jobId: number, dependencyId: number): Uint8Array | null {
  const job = q.repos.jobs.findById(jobId);
  const dep = q.repos.jobs.findById(dependencyId);
  const allowed =
    job && dep && (dep.pipelineId === job.pipelineId || crossPipelineDependencies(q, job).some((d) => d.id === dep.id));
  if (!job || !dep || !allowed) throw new ArtifactRefused("not a dependency of this job", 403);
  const row = q.artifacts.find(dep.id, "archive");
  if (!row) {
    if (q.artifacts.expired(dep.id, "archive")) throw new ArtifactRefused("the artifacts have expired", 410);
    return null;
  }
  const bytes = q.artifacts.read(row);
  if (!bytes) throw new ArtifactRefused("the artifacts file is missing on the server", 410);
  return bytes;
}
