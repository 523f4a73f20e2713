// Starts a job's `services:` as sibling containers on the job's network, reachable by GitLab's aliases.
import type Dockerode from "dockerode";
import type { ServiceSpec } from "../../domain/job-spec.ts";
import { expandValue } from "../../domain/variables.ts";
import { type OutputSink, SystemFailure } from "../types.ts";
import { dockerMessage } from "./engine.ts";
import { ensureImage } from "./image.ts";
import { invalidAlias, serviceAliases } from "./service-aliases.ts";
import type { ContainerLimits, DockerSettings } from "./settings.ts";

export interface ServiceContext {
  /** The job's resource name; services are `<base>-svc-<n>`. */
  baseName: string;
  /** Network (id or name) the services and the build container share. */
  network: string;
  labels: Record<string, string>;
  /** The job's variables, `KEY=value`. */
  jobEnv: string[];
  lookup: (name: string) => string | undefined;
  limits: ContainerLimits;
  pullPolicy: DockerSettings["pull_policy"];
}

export interface StartedService {
  spec: ServiceSpec;
  container: Dockerode.Container;
  aliases: string[];
}

/**
 * Pulls (per policy), creates and starts the service `index` of the job. Its environment is the job's variables plus
 * its own (expanded against the job's, unless raw). Throws `SystemFailure` (`image_pull_failure` for a missing image).
 */
export async function startService(
  docker: Dockerode,
  spec: ServiceSpec,
  index: number,
  ctx: ServiceContext,
  out: OutputSink,
  signal: AbortSignal,
): Promise<StartedService> {
  const aliases = serviceAliases(spec);
  const bad = aliases.map(invalidAlias).find((reason) => reason !== undefined);
  if (bad) throw new SystemFailure(`service "${spec.name}": ${bad}`);
  out.info(`Starting service ${spec.name} ...`);
  await ensureImage(docker, spec.name, ctx.pullPolicy, out, signal);
  signal.throwIfAborted();
  const ownEnv = spec.variables.map((v) => `${v.key}=${v.raw ? v.value : expandValue(v.value, ctx.lookup)}`);
  try {
    const container = await docker.createContainer({
      name: `${ctx.baseName}-svc-${index}`,
      Image: spec.name,
      Entrypoint: spec.entrypoint,
      Cmd: spec.command,
      Env: [...ctx.jobEnv, ...ownEnv],
      Labels: ctx.labels,
      Volumes: ctx.limits.Volumes,
      HostConfig: {
        NetworkMode: ctx.network,
        Privileged: ctx.limits.Privileged,
        NanoCpus: ctx.limits.NanoCpus,
        Memory: ctx.limits.Memory,
        Binds: ctx.limits.Binds,
      },
      NetworkingConfig: { EndpointsConfig: { [ctx.network]: { Aliases: aliases } } },
    });
    await container.start();
    return { spec, container, aliases };
  } catch (error) {
    throw new SystemFailure(`cannot start service "${spec.name}": ${dockerMessage(error)}`);
  }
}
