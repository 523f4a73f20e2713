// Turns `[docker]` settings into engine connection options and container limits, refusing bad values by name.
import type { PortholeConfig } from "../../config/schema.ts";

export type DockerSettings = PortholeConfig["docker"];

/** How to reach the engine: dockerode's options (`{}` = DOCKER_HOST or the local socket) and a printable name. */
export interface EngineAddress {
  options: { socketPath?: string; host?: string; port?: number; protocol?: "http" };
  display: string;
  /** The engine runs on this machine (a unix socket): bind mounts and container IPs are reachable here. */
  local: boolean;
}

/** Parses `[docker] host`: "", `unix:///path`, `tcp://host:port`. Throws an Error naming the setting. */
export function engineAddress(host: string, env: Record<string, string | undefined> = process.env): EngineAddress {
  const value = host || env.DOCKER_HOST || "unix:///var/run/docker.sock";
  const where = host ? "[docker] host" : env.DOCKER_HOST ? "DOCKER_HOST" : "the default";
  if (value.startsWith("unix://")) {
    const socketPath = value.slice("unix://".length);
    if (!socketPath.startsWith("/")) throw new Error(`${where} "${value}": a unix socket needs an absolute path`);
    return { options: { socketPath }, display: value, local: true };
  }
  if (value.startsWith("tcp://")) {
    const url = new URL(value.replace(/^tcp:/, "http:"));
    if (!url.hostname || !url.port) throw new Error(`${where} "${value}": expected tcp://host:port`);
    return { options: { host: url.hostname, port: Number(url.port), protocol: "http" }, display: value, local: false };
  }
  throw new Error(`${where} "${value}": expected unix:///path/to/docker.sock or tcp://host:port`);
}

/**
 * Docker's memory notation (`512m`, `1g`, `1.5gb`, `1048576`: binary multiples) in bytes.
 * Written by hand: it is Docker's own 6-suffix rule, too small for a dependency.
 */
export function memoryBytes(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([bkmgtp]?)b?\s*$/i.exec(text);
  if (!match) throw new Error(`[docker] memory "${text}": expected a size such as 512m or 2g`);
  const power = "bkmgtp".indexOf((match[2] || "b").toLowerCase());
  const bytes = Math.floor(Number(match[1]) * 1024 ** power);
  if (bytes < 6 * 1024 * 1024) throw new Error(`[docker] memory "${text}": Docker needs at least 6m`);
  return bytes;
}

/** The limits and mounts every container of a job gets (build and services alike). */
export interface ContainerLimits {
  Privileged: boolean;
  NanoCpus?: number;
  Memory?: number;
  Binds: string[];
  /** Anonymous volumes (`/cache`): removed with the container. */
  Volumes: Record<string, object>;
}

/** Throws an Error naming the setting when `volumes`, `cpus` or `memory` cannot be used. */
export function containerLimits(settings: DockerSettings): ContainerLimits {
  const binds: string[] = [];
  const volumes: Record<string, object> = {};
  for (const entry of settings.volumes) {
    const parts = entry.split(":");
    if (parts.some((p) => p === "") || parts.length > 3)
      throw new Error(`[docker] volumes "${entry}": expected /container/path or /host:/container[:ro]`);
    if (parts.length === 1) volumes[entry] = {};
    else binds.push(entry);
  }
  const limits: ContainerLimits = { Privileged: settings.privileged, Binds: binds, Volumes: volumes };
  if (settings.cpus !== undefined) limits.NanoCpus = Math.round(settings.cpus * 1e9);
  if (settings.memory !== undefined && settings.memory !== "") limits.Memory = memoryBytes(settings.memory);
  return limits;
}

/** `allowed_images` patterns are globs (`*` within a path segment, `**` across): empty allows everything. */
export function imageAllowed(image: string, patterns: string[]): boolean {
  if (patterns.length === 0) return true;
  return patterns.some((pattern) => new Bun.Glob(pattern).match(image));
}

/** Why the first of `images` outside `allowed_images` is refused (`default_image` is always allowed), if any. */
export function imageRefusal(images: string[], settings: DockerSettings): string | undefined {
  const refused = images.find(
    (image) => image !== settings.default_image && !imageAllowed(image, settings.allowed_images),
  );
  if (refused === undefined) return undefined;
  return `the "${refused}" image is not allowed by [docker] allowed_images: ${settings.allowed_images.join(", ")}`;
}
