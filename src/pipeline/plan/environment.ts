// A job's `environment` and `resource_group` for one pipeline: names expanded with the variables the job sees.
import type { EnvironmentDef } from "../config/environment.ts";
import { expandAllVariables } from "../expand/text-variables.ts";
import type { EnvironmentSpec } from "../types.ts";

/** The environment with its name expanded; `url` stays as written (expanded with the job's own variables when it runs). */
export function planEnvironment(env: EnvironmentDef, variables: Readonly<Record<string, string>>): EnvironmentSpec {
  const spec: EnvironmentSpec = { name: expandAllVariables(env.name, variables).trim(), action: env.action };
  if (env.url !== undefined) spec.url = env.url;
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
