// Environments and deployments as jobs create and move them: a start job deploys, a stop job stops, as in GitLab.
import { environmentSlug, guessTier, isValidEnvironmentName } from "../domain/environment-name.ts";
import type { EnvironmentSpec } from "../pipeline/types.ts";
import type { Repositories } from "../store/repositories.ts";
import type { JobRow, PipelineRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";

/** A deployment's status for its job's (GitLab's mapping; jobs not started yet leave it `created`). */
const DEPLOYMENT_STATUS: Partial<Record<JobRow["status"], string>> = {
  running: "running",
  success: "success",
  failed: "failed",
  canceled: "canceled",
  skipped: "skipped",
};

/**
 * When a pipeline is created: each job with an environment finds (start and prepare: makes) its environment, and
 * each start job gets a `created` deployment. A name that expanded to something invalid fails its job with
 * GitLab's `environment_creation_failure`.
 */
export function recordDeployments(tx: Repositories, pipeline: PipelineRow, jobs: readonly JobRow[]): void {
  for (const job of jobs) {
    const env = job.spec.environment;
    if (!env) continue;
    if (!isValidEnvironmentName(env.name)) {
      // A new pipeline's job is stored failed already (new-pipeline-jobs.ts); a retried one is failed here.
      if (job.status !== "failed")
        tx.jobs.update(job.id, {
          status: "failed",
          failureReason: "environment_creation_failure",
          finishedAt: new Date(),
        });
      continue;
    }
    if (env.action !== "start" && env.action !== "prepare") continue;
    const environment = tx.environments.findOrCreate(
      pipeline.projectId,
      env.name,
      environmentSlug(env.name),
      env.deploymentTier ?? guessTier(env.name),
    );
    if (env.action !== "start") continue;
    tx.deployments.insert({
      projectId: pipeline.projectId,
      environmentId: environment.id,
      jobId: job.id,
      ref: pipeline.ref,
      tag: pipeline.tag,
      sha: pipeline.sha,
      userId: job.userId,
      onStop: env.onStop ?? null,
    });
  }
}

/** Keeps deployments and environments in step with their jobs; returns the unsubscribe function. */
export function watchDeployments(q: QueueContext, autoStopChanged: () => void): () => void {
  return q.events.onJob((job) => {
    const env = job.spec.environment;
    if (!env || !isValidEnvironmentName(env.name)) return;
    if (env.action === "start") followStartJob(q, job, env, autoStopChanged);
    else if (env.action === "stop") followStopJob(q, job, env);
  });
}

function followStartJob(q: QueueContext, job: JobRow, env: EnvironmentSpec, autoStopChanged: () => void): void {
  const deployment = q.repos.deployments.ofJob(job.id) ?? redeployment(q, job);
  if (!deployment) return;
  const status = DEPLOYMENT_STATUS[job.status] ?? "created";
  if (status === deployment.status) return;
  const finished = status !== "created" && status !== "running";
  q.repos.deployments.update(deployment.id, { status, finishedAt: finished ? new Date() : null });
  if (status === "running") q.repos.environments.update(deployment.environmentId, { state: "available" });
  if (status !== "success") return;
  q.repos.environments.update(deployment.environmentId, {
    state: "available",
    ...(env.url ? { externalUrl: env.url } : {}),
    ...(env.deploymentTier ? { tier: env.deploymentTier } : {}),
    ...(env.autoStopIn !== undefined
      ? { autoStopAt: env.autoStopIn === null ? null : new Date(Date.now() + env.autoStopIn * 1000) }
      : {}),
  });
  autoStopChanged();
}

/** A retried start job is a new job: it gets a deployment of its own, as GitLab makes one per try. */
function redeployment(q: QueueContext, job: JobRow) {
  if (job.status !== "created" && job.status !== "waiting_for_resource" && job.status !== "pending") return null;
  const pipeline = q.repos.pipelines.findById(job.pipelineId);
  if (!pipeline) return null;
  recordDeployments(q.repos, pipeline, [job]);
  return q.repos.deployments.ofJob(job.id);
}

function followStopJob(q: QueueContext, job: JobRow, env: EnvironmentSpec): void {
  const environment = q.repos.environments.findByName(job.projectId, env.name);
  if (!environment) return;
  if (job.status === "success") q.repos.environments.update(environment.id, { state: "stopped", autoStopAt: null });
  else if ((job.status === "failed" || job.status === "canceled") && environment.state === "stopping")
    q.repos.environments.update(environment.id, { state: "available" });
}
