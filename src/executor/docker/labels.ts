// Labels and names on everything the Docker executor creates, so cleanup and sweep() find exactly their own.
import type { JobEnvironment } from "../types.ts";

/** Who this executor works for: the runner's id and, optionally, a value unique to this server. */
export interface RunnerIdentity {
  id: number;
  name: string;
  /**
   * Tells apart porthole servers sharing one engine (e.g. the absolute data_dir): sweep() of one server never
   * removes another's containers. Without it, every server whose runner has this id is "this runner".
   */
  scope?: string;
}

export const LABEL = {
  job: "porthole.job",
  pipeline: "porthole.pipeline",
  runner: "porthole.runner",
  scope: "porthole.scope",
  role: "porthole.role",
  /** The job executor's own resource name: cleanup() removes exactly what carries it. */
  instance: "porthole.instance",
} as const;

export type Role = "build" | "service" | "network";

/** The labels of one job's container or network. */
export function jobLabels(
  runner: RunnerIdentity,
  env: JobEnvironment,
  instance: string,
  role: Role,
): Record<string, string> {
  return {
    ...runnerLabels(runner),
    [LABEL.job]: String(env.jobId),
    [LABEL.pipeline]: String(env.pipelineId),
    [LABEL.instance]: instance,
    [LABEL.role]: role,
  };
}

export function runnerLabels(runner: RunnerIdentity): Record<string, string> {
  const labels: Record<string, string> = { [LABEL.runner]: String(runner.id) };
  if (runner.scope !== undefined) labels[LABEL.scope] = runner.scope;
  return labels;
}

/** A Docker API `label` filter (`["k=v", …]`) matching every given label. */
export function labelFilter(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`);
}

/**
 * The base name of a job's resources: `porthole-job-<id>-<random>`. The random part keeps two servers (or a
 * retried job after a crash) from colliding on a name; the labels, not the names, say whose a resource is.
 */
export function jobResourceName(jobId: number): string {
  return `porthole-job-${jobId}-${crypto.randomUUID().slice(0, 8)}`;
}
