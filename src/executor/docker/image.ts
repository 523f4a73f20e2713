// Makes a job's image available under the pull policy, with GitLab's log lines and `image_pull_failure` on failure.

import type { Readable } from "node:stream";
import type Dockerode from "dockerode";
import { type OutputSink, SystemFailure } from "../types.ts";
import { dockerMessage, dockerStatus } from "./engine.ts";
import type { DockerSettings } from "./settings.ts";

type PullPolicy = DockerSettings["pull_policy"];

/** `name` with `:latest` when it has neither tag nor digest (pulling without a tag would pull every tag). */
export function withDefaultTag(name: string): string {
  const lastSegment = name.slice(name.lastIndexOf("/") + 1);
  return lastSegment.includes(":") || lastSegment.includes("@") ? name : `${name}:latest`;
}

/**
 * Ensures `image` is present, pulling it as `policy` says; resolves when the engine has it.
 * Throws `SystemFailure(…, "image_pull_failure")` with `failed to pull image "<image>"` when it is missing and
 * cannot be pulled; aborting `signal` stops a pull in progress.
 */
export async function ensureImage(
  docker: Dockerode,
  image: string,
  policy: PullPolicy,
  out: OutputSink,
  signal: AbortSignal,
): Promise<void> {
  const local = await inspectImage(docker, image);
  if (local && policy !== "always") {
    out.info(`Using locally found image version due to "${policy}" pull policy`);
    out.info(usingLine(image, local));
    return;
  }
  if (policy === "never") {
    throw pullFailure(image, policy, "the image is not present locally and the pull policy does not allow pulling");
  }
  out.info(`Pulling docker image ${image} ...`);
  try {
    await pull(docker, withDefaultTag(image), signal);
  } catch (error) {
    throw pullFailure(image, policy, signal.aborted ? "interrupted" : dockerMessage(error));
  }
  const pulled = await inspectImage(docker, image);
  if (!pulled) throw pullFailure(image, policy, "the engine reported success but does not have the image");
  out.info(usingLine(image, pulled));
}

function pullFailure(image: string, policy: PullPolicy, why: string): SystemFailure {
  return new SystemFailure(
    `failed to pull image "${image}" with specified policies [${policy}]: ${why}`,
    "image_pull_failure",
  );
}

function usingLine(image: string, info: Dockerode.ImageInspectInfo): string {
  const digest = info.RepoDigests?.[0];
  return `Using docker image ${info.Id} for ${image}${digest ? ` with digest ${digest}` : ""} ...`;
}

async function inspectImage(docker: Dockerode, image: string): Promise<Dockerode.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(image).inspect();
  } catch (error) {
    if (dockerStatus(error) === 404) return undefined;
    throw new SystemFailure(`cannot inspect image "${image}": ${dockerMessage(error)}`);
  }
}

async function pull(docker: Dockerode, ref: string, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  const stream = (await docker.pull(ref)) as Readable;
  const stop = () => stream.destroy(new Error("interrupted"));
  signal.addEventListener("abort", stop, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      stream.once("error", reject);
      if (signal.aborted) stop(); // the cancel came while the pull was being requested
      docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve()));
    });
  } finally {
    signal.removeEventListener("abort", stop);
  }
}
