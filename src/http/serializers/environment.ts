// Environment, deployment and resource group JSON in GitLab's shapes (API::Entities::Environment, Deployment, Ci::ResourceGroup).
import type { Repositories } from "../../store/repositories.ts";
import type { DeploymentRow, EnvironmentRow, ResourceGroupRow } from "../../store/rows.ts";
import { jobEntity } from "./job.ts";
import type { Lookups } from "./lookups.ts";
import { iso } from "./time.ts";
import { userBasic } from "./user.ts";

/** GitLab's EnvironmentBasic plus state, tier and times; `last_deployment` when given (the single environment). */
export function environmentEntity(
  env: EnvironmentRow,
  look: Lookups,
  last?: { deployment: DeploymentRow | null; repos: Repositories },
) {
  return {
    id: env.id,
    name: env.name,
    slug: env.slug,
    description: null,
    external_url: env.externalUrl,
    created_at: iso(env.createdAt),
    updated_at: iso(env.updatedAt ?? env.createdAt),
    tier: env.tier,
    state: env.state,
    auto_stop_at: iso(env.autoStopAt),
    ...(last
      ? { last_deployment: last.deployment ? deploymentEntity(last.deployment, look, last.repos, env) : null }
      : {}),
  };
}

/** GitLab's Deployment: the environment in brief and the job (`deployable`) with its pipeline. */
export function deploymentEntity(d: DeploymentRow, look: Lookups, repos: Repositories, env?: EnvironmentRow | null) {
  const environment = env ?? repos.environments.findById(d.environmentId);
  const job = d.jobId === null ? null : repos.jobs.findById(d.jobId);
  const user = look.user(d.userId);
  return {
    id: d.id,
    iid: d.iid,
    ref: d.ref,
    sha: d.sha,
    created_at: iso(d.createdAt),
    updated_at: iso(d.updatedAt ?? d.createdAt),
    finished_at: iso(d.finishedAt),
    status: d.status,
    user: user ? userBasic(user, look.baseUrl) : null,
    environment: environment
      ? {
          id: environment.id,
          name: environment.name,
          slug: environment.slug,
          external_url: environment.externalUrl,
          created_at: iso(environment.createdAt),
          updated_at: iso(environment.updatedAt ?? environment.createdAt),
          tier: environment.tier,
          state: environment.state,
        }
      : null,
    deployable: job ? jobEntity(job, look) : null,
  };
}

export function resourceGroupEntity(g: ResourceGroupRow) {
  return {
    id: g.id,
    key: g.key,
    process_mode: g.processMode,
    created_at: iso(g.createdAt),
    updated_at: iso(g.updatedAt ?? g.createdAt),
  };
}
