// GitLab's hostnames for a service container: from the image name (`/`→`__` and `/`→`-`) plus its `alias` list.
import type { ServiceSpec } from "../../domain/job-spec.ts";

/**
 * The image name without tag, digest or registry port: `registry.example.com:5000/tutum/wordpress:4.7@sha256:…`
 * → `registry.example.com/tutum/wordpress`.
 */
export function imageNameWithoutTag(image: string): string {
  const withoutDigest = image.split("@")[0] ?? image;
  const slash = withoutDigest.indexOf("/");
  const registry = slash === -1 ? "" : withoutDigest.slice(0, slash);
  const hasRegistry = registry.includes(".") || registry.includes(":") || registry === "localhost";
  const host = hasRegistry ? `${registry.split(":")[0]}/` : "";
  const path = hasRegistry ? withoutDigest.slice(slash + 1) : withoutDigest;
  return host + path.split(":")[0];
}

/**
 * Every hostname the service answers to on the job's network, in GitLab's order: `tutum/wordpress` →
 * `tutum__wordpress`, `tutum-wordpress`, then each name in `alias` (several may be given, comma- or space-separated).
 */
export function serviceAliases(service: ServiceSpec): string[] {
  const base = imageNameWithoutTag(service.name);
  const fromImage = [base.replaceAll("/", "__"), base.replaceAll("/", "-")];
  const explicit = (service.alias ?? "").split(/[\s,]+/).filter((a) => a !== "");
  return [...new Set([...fromImage, ...explicit])];
}

/** An alias Docker's embedded DNS can serve: letters, digits, `.`, `_`, `-`; refused otherwise, with the reason. */
export function invalidAlias(alias: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(alias)) return `service alias "${alias}" is not a valid hostname`;
  return undefined;
}
