// Whether Docker tests run here: an engine must answer; PORTHOLE_REQUIRE_DOCKER=1 turns its absence into a failure.

import { resolve } from "node:path";
import type Dockerode from "dockerode";

const TEST_IMAGES = ["porthole-test/busybox", "porthole-test/httpd", "porthole-test/bash", "porthole-test/entrypoint"];

async function findEngine(): Promise<Dockerode | undefined> {
  const { default: Docker } = await import("dockerode");
  const docker = new Docker();
  try {
    await docker.ping();
  } catch (error) {
    const why = `no Docker engine answers (${error instanceof Error ? error.message : error})`;
    if (process.env.PORTHOLE_REQUIRE_DOCKER) throw new Error(`PORTHOLE_REQUIRE_DOCKER is set but ${why}`);
    console.log(`skipped: Docker tests (${why}; set PORTHOLE_REQUIRE_DOCKER=1 to make this a failure)`);
    return undefined;
  }
  await ensureTestImages(docker);
  return docker;
}

/** Builds the local test images with .ci/setup-docker.sh when one is missing (idempotent). */
async function ensureTestImages(docker: Dockerode): Promise<void> {
  const present = await Promise.all(
    TEST_IMAGES.map((name) =>
      docker
        .getImage(name)
        .inspect()
        .then(
          () => true,
          () => false,
        ),
    ),
  );
  if (present.every(Boolean)) return;
  const script = resolve(import.meta.dir, "../../.ci/setup-docker.sh");
  const proc = Bun.spawn(["sh", script], { stdout: "inherit", stderr: "inherit" });
  if ((await proc.exited) !== 0) throw new Error(`${script} failed: the Docker test images could not be built`);
}

/** The engine (DOCKER_HOST or the local socket) with the test images present, or undefined: skip. */
export const docker = await findEngine();
export const noDocker = docker === undefined;

/**
 * Docker list filters for one job's containers and networks made by one server or provider, named by its scope
 * (a server's absolute data_dir, a test provider's random scope). Job ids start at 1 in every fresh database, so
 * a filter on the job id alone also sees other portholes' containers on this engine.
 */
export function ofJob(scope: string, jobId: number): { filters: { label: string[] } } {
  return { filters: { label: [`porthole.scope=${scope}`, `porthole.job=${jobId}`] } };
}
