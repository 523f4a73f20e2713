// A job's `environment` and `resource_group` for one pipeline: names expanded with the variables the job sees.
import { environmentSlug } from "../../domain/environment-name.ts";
import type { EnvironmentDef } from "../config/environment.ts";
import { expandAllVariables } from "../expand/text-variables.ts";
import type { EnvironmentSpec } from "../types.ts";

/**
 * The environment with its name and url expanded (unknown variables blank, as GitLab); the url also sees
 * `CI_ENVIRONMENT_NAME` and `CI_ENVIRONMENT_SLUG`, which review-app urls are usually made of.
 */
export function planEnvironment(env: EnvironmentDef, variables: Readonly<Record<string, string>>): EnvironmentSpec {
  const name = expandAllVariables(env.name, variables).trim();
  const spec: EnvironmentSpec = { name, action: env.action };
  const withEnvironment = { ...variables, CI_ENVIRONMENT_NAME: name, CI_ENVIRONMENT_SLUG: environmentSlug(name) };
  if (env.url !== undefined) spec.url = expandAllVariables(env.url, withEnvironment);
  if (env.onStop !== undefined) spec.onStop = env.onStop;
  if (env.autoStopIn !== undefined) spec.autoStopIn = env.autoStopIn;
  if (env.deploymentTier !== undefined) spec.deploymentTier = env.deploymentTier;
  return spec;
}

/** The resource group's key, expanded; blank after expansion means no resource group (as GitLab skips it). */
export function planResourceGroup(key: string, variables: Readonly<Record<string, string>>): string | undefined {
  const expanded = expandAllVariables(key, variables).trim();
  return expanded === "" ? undefined : expanded;
}
