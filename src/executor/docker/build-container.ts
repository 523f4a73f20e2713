// Creates a job's build container: the image, the sources bind-mounted, the job's variables, kept alive once started.
import type Dockerode from "dockerode";
import type { ImageSpec } from "../../domain/job-spec.ts";
import { KEEP_ALIVE } from "./in-container.ts";
import type { ContainerLimits } from "./settings.ts";

export interface BuildContainerSpec {
  name: string;
  image: string;
  /** `undefined`: the image's own; `[]`: cleared; else this command. The keep-alive loop is its argument. */
  entrypoint: ImageSpec["entrypoint"];
  env: string[];
  labels: Record<string, string>;
  /** Host path of the sources, mounted at `workingDir` (the job's CI_PROJECT_DIR). */
  projectDir: string;
  workingDir: string;
  /** A debugged job's control folder: mounted read-write at its host path. */
  controlDir?: string;
  limits: ContainerLimits;
  /** A network id/name, a mode (`host`, `none`), or undefined for the engine's default bridge. */
  networkMode?: string;
}

/**
 * Creates the container, not started: nothing of the job runs until the caller starts it. Once started, its main
 * process idles under Docker's init until the container is removed, so the container outlives every script and
 * terminal. Errors are the engine's (the caller wraps them).
 */
export function createBuildContainer(docker: Dockerode, spec: BuildContainerSpec): Promise<Dockerode.Container> {
  return docker.createContainer({
    name: spec.name,
    Image: spec.image,
    Entrypoint: spec.entrypoint,
    Cmd: KEEP_ALIVE,
    Env: spec.env,
    WorkingDir: spec.workingDir,
    Labels: spec.labels,
    Volumes: spec.limits.Volumes,
    HostConfig: {
      Init: true,
      Mounts: [
        { Type: "bind", Source: spec.projectDir, Target: spec.workingDir },
        ...(spec.controlDir ? [{ Type: "bind" as const, Source: spec.controlDir, Target: spec.controlDir }] : []),
      ],
      Binds: spec.limits.Binds,
      Privileged: spec.limits.Privileged,
      NanoCpus: spec.limits.NanoCpus,
      Memory: spec.limits.Memory,
      NetworkMode: spec.networkMode,
    },
  });
}
