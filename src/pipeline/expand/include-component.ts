// `include:component`: GitLab's CI/CD component address (`<server>/<group>/<project>/<name>@<version>`) taken apart,
// and the file a component is read from in its project.

/** Where a component lives: the project's full path, the component's name, the version (ref, tag, sha, `~latest`). */
export interface ComponentAddress {
  project: string;
  name: string;
  version: string;
}

/** GitLab's prefix for every message about a component. */
export const componentPrefix = (address: string) => `Component '${address}' -`;

/**
 * The address taken apart as GitLab's `InstancePath` does: it must start with the server's name (`hosts`: its FQDN,
 * with the port when it has one, and its host name) and a `/`, and hold an `@`; the last `/` separates the project
 * from the component's name. Null when it is not such an address.
 */
export function parseComponentAddress(address: string, hosts: readonly string[]): ComponentAddress | null {
  if (!address.includes("@")) return null;
  const host = hosts.find((h) => h && address.startsWith(`${h}/`));
  if (!host) return null;
  const [fullPath = "", version = ""] = splitOnce(address.slice(host.length + 1), "@");
  const slash = fullPath.lastIndexOf("/");
  if (fullPath.startsWith("/") || slash <= 0 || slash === fullPath.length - 1 || version === "") return null;
  return { project: fullPath.slice(0, slash).toLowerCase(), name: fullPath.slice(slash + 1), version };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + 1)];
}

/** The component's file in its project: `templates/<name>.yml`, else `templates/<name>/template.yml` (GitLab's order). */
export function componentFile(name: string, files: readonly string[]): string | null {
  const candidates = [`templates/${name}.yml`, `templates/${name}/template.yml`];
  return candidates.find((path) => files.includes(path)) ?? null;
}
