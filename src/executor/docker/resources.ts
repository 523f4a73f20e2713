// Finds and removes the containers (with their anonymous volumes) and networks that carry given labels.
import type Dockerode from "dockerode";
import { dockerMessage, dockerStatus } from "./engine.ts";
import { LABEL, labelFilter } from "./labels.ts";

/**
 * Removes every container, then every network, carrying all of `labels` and none of `without` (label keys);
 * returns one line per thing removed
 * (`container porthole-job-7-ab12cd34 of job 7`). Tries everything before throwing an Error that lists what could
 * not be removed. Already gone (404) or already being removed (409) counts as removed.
 */
export async function removeLabelled(
  docker: Dockerode,
  labels: Record<string, string>,
  without: string[] = [],
): Promise<string[]> {
  const filters = { label: labelFilter(labels) };
  const selected = (found: Record<string, string> | undefined) => without.every((key) => !(key in (found ?? {})));
  const removed: string[] = [];
  const failures: string[] = [];
  const attempt = async (what: string, remove: () => Promise<unknown>) => {
    try {
      await remove();
      removed.push(what);
    } catch (error) {
      const status = dockerStatus(error);
      if (status === 404 || status === 409) removed.push(what);
      else failures.push(`${what}: ${dockerMessage(error)}`);
    }
  };
  const containers = (await docker.listContainers({ all: true, filters })).filter((c) => selected(c.Labels));
  await Promise.all(
    containers.map((c) =>
      attempt(describe("container", c.Names[0]?.replace(/^\//, "") ?? c.Id, c.Labels), () =>
        docker.getContainer(c.Id).remove({ force: true, v: true }),
      ),
    ),
  );
  const networks = (await docker.listNetworks({ filters })).filter((n) => selected(n.Labels));
  for (const n of networks) {
    await attempt(describe("network", n.Name, n.Labels ?? {}), () => docker.getNetwork(n.Id).remove());
  }
  if (failures.length > 0) throw new Error(`could not remove ${failures.join("; ")}`);
  return removed;
}

function describe(kind: string, name: string, labels: Record<string, string>): string {
  const job = labels[LABEL.job];
  return job ? `${kind} ${name} of job ${job}` : `${kind} ${name}`;
}
