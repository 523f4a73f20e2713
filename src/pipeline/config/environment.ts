// `environment:` (a name, or a hash with url, action, on_stop, auto_stop_in, deployment_tier) with GitLab's messages.
import {
  DEPLOYMENT_TIERS,
  type DeploymentTier,
  ENVIRONMENT_NAME_MESSAGE,
  isValidEnvironmentName,
} from "../../domain/environment-name.ts";
import { parseDuration } from "../duration.ts";
import { isMap, isScalar, type Loc, type YNode } from "../yaml/tree.ts";
import { type At, checkKeys, fail, stringOf } from "./check.ts";
import { notActedOn } from "./not-acted-on.ts";

export const ENVIRONMENT_KEYS: ReadonlySet<string> = new Set([
  "name",
  "url",
  "action",
  "on_stop",
  "auto_stop_in",
  "deployment_tier",
  "kubernetes",
]);
export const ENVIRONMENT_ACTIONS = ["start", "stop", "prepare", "verify", "access"] as const;
export type EnvironmentAction = (typeof ENVIRONMENT_ACTIONS)[number];
const MAX_URL = 255;

/** The environment as written; `$VARIABLES` in name and url are expanded when the pipeline is created. */
export interface EnvironmentDef {
  name: string;
  url?: string;
  action: EnvironmentAction;
  onStop?: string;
  /** `auto_stop_in` in seconds; `never` (GitLab's word) is null. */
  autoStopIn?: number | null;
  deploymentTier?: DeploymentTier;
  loc: Loc;
}

/** Reads `environment:`; undefined (after reporting) when it is not valid. */
export function readEnvironment(a: At, node: YNode): EnvironmentDef | undefined {
  if (stringOf(node) !== undefined) return named(a, node, stringOf(node)!, { action: "start", loc: node.loc });
  if (!isMap(node)) return fail(a, node, "config should be a hash or a string");
  checkKeys(a, node, ENVIRONMENT_KEYS);
  const env: Omit<EnvironmentDef, "name"> = { action: "start", loc: node.loc };
  const value = (key: string) => node.pairs.get(key)?.value;
  const url = value("url");
  if (url && !isNull(url)) {
    const text = stringOf(url);
    if (text === undefined) fail(a, url, "url should be a string");
    else if (text.length > MAX_URL) fail(a, url, `url is too long (maximum is ${MAX_URL} characters)`);
    else env.url = text;
  }
  const action = value("action");
  if (action && !isNull(action)) {
    const found = ENVIRONMENT_ACTIONS.find((x) => x === stringOf(action));
    if (found) env.action = found;
    else fail(a, action, "action should be start, stop, prepare, verify, or access");
  }
  const onStop = value("on_stop");
  if (onStop && !isNull(onStop)) env.onStop = stringOf(onStop) ?? fail(a, onStop, "on stop should be a string");
  const autoStop = value("auto_stop_in");
  if (autoStop && !isNull(autoStop)) env.autoStopIn = readAutoStopIn(a, autoStop);
  const tier = value("deployment_tier");
  if (tier && !isNull(tier)) {
    const found = DEPLOYMENT_TIERS.find((t) => t === stringOf(tier));
    if (found) env.deploymentTier = found;
    else fail(a, tier, `deployment tier must be one of ${DEPLOYMENT_TIERS.join(", ")}`);
  }
  const kubernetes = value("kubernetes");
  if (kubernetes && !isNull(kubernetes) && !isMap(kubernetes)) fail(a, kubernetes, "kubernetes should be a hash");
  else if (kubernetes) notActedOn(a, "kubernetes", "porthole has no Kubernetes integration");
  const name = value("name");
  if (!name || isNull(name) || stringOf(name) === "") return fail(a, name ?? node, "name can't be blank");
  return named(a, name, stringOf(name), env);
}

function named(a: At, node: YNode, name: string | undefined, env: Omit<EnvironmentDef, "name">) {
  // GitLab checks the name as written: `review/$CI_COMMIT_REF_SLUG` passes, the expanded value is checked again.
  if (name === undefined || !isValidEnvironmentName(name)) return fail(a, node, `name ${ENVIRONMENT_NAME_MESSAGE}`);
  return { ...env, name };
}

function readAutoStopIn(a: At, node: YNode): number | null | undefined {
  const text = stringOf(node);
  if (text?.trim().toLowerCase() === "never") return null;
  const seconds = text === undefined ? null : parseDuration(text);
  return seconds === null ? fail(a, node, "auto stop in should be a duration") : Math.floor(seconds);
}

const isNull = (node: YNode) => isScalar(node) && node.value === null;

/** `on_stop` names a job that must exist, have an environment of the same name and `action: stop` (GitLab's checks). */
export function checkOnStopJobs(
  jobs: readonly { name: string; environment?: EnvironmentDef }[],
  report: (loc: Loc, message: string) => void,
): void {
  const byName = new Map(jobs.map((job) => [job.name, job]));
  for (const job of jobs) {
    const onStop = job.environment?.onStop;
    if (!onStop) continue;
    const stop = byName.get(onStop);
    const problem = !stop
      ? "is not defined"
      : !stop.environment
        ? "does not have environment defined"
        : stop.environment.name !== job.environment!.name
          ? "have different environment name"
          : stop.environment.action !== "stop"
            ? "needs to have action stop defined"
            : null;
    if (problem) report(job.environment!.loc, `${job.name} job: on_stop job ${onStop} ${problem}`);
  }
}
