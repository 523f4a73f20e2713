// Connects to the Docker engine on first use: dockerode is imported lazily (eagerly it costs ~65 ms and ~20 MB).
import type Dockerode from "dockerode";
import { SystemFailure } from "../types.ts";
import type { EngineAddress } from "./settings.ts";

/**
 * Returns a getter for the one client of this address: the first call imports dockerode, connects and pings.
 * A failed connection throws `SystemFailure` naming the address and is retried on the next call.
 */
export function lazyEngine(address: EngineAddress): () => Promise<Dockerode> {
  let client: Promise<Dockerode> | undefined;
  return () => {
    client ??= connect(address).catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    return client;
  };
}

async function connect(address: EngineAddress): Promise<Dockerode> {
  const { default: Docker } = await import("dockerode");
  const docker = new Docker(address.options);
  try {
    await docker.ping();
  } catch (error) {
    throw new SystemFailure(`cannot reach the Docker engine at ${address.display}: ${dockerMessage(error)}`);
  }
  return docker;
}

/** The engine's own words for a failed call (`no such image: …`), else the error's message. */
export function dockerMessage(error: unknown): string {
  const json = (error as { json?: { message?: unknown } } | null)?.json;
  if (json && typeof json.message === "string") return json.message;
  return error instanceof Error ? error.message : String(error);
}

/** The HTTP status of a failed engine call (404 for "no such …"), if any. */
export function dockerStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}
