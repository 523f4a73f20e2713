// Chooses the job's network: the engine's default, `[docker] network_mode`, or a per-job network for services.
import type Dockerode from "dockerode";
import { SystemFailure } from "../types.ts";

const MODES_WITHOUT_ALIASES = new Set(["host", "none", "bridge", "default"]);

/**
 * Returns the network mode for the job's containers. With services and no `network_mode`, creates the network
 * `name` (labelled, removed by cleanup) and returns its id; with services and a `network_mode`, that network must
 * be a user-defined one (the only kind with per-container aliases), else `SystemFailure`.
 */
export async function jobNetwork(
  docker: Dockerode,
  opts: { name: string; labels: Record<string, string>; networkMode: string; withServices: boolean },
): Promise<string | undefined> {
  const mode = opts.networkMode || undefined;
  if (!opts.withServices) return mode;
  if (mode) {
    if (MODES_WITHOUT_ALIASES.has(mode) || mode.startsWith("container:")) {
      throw new SystemFailure(`services need a user-defined network, but [docker] network_mode is "${mode}"`);
    }
    return mode;
  }
  const network = await docker.createNetwork({
    Name: opts.name,
    Driver: "bridge",
    Labels: opts.labels,
    CheckDuplicate: true,
  });
  return network.id;
}
