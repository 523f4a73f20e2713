// Which repository files an `include:local` path names: a plain path, or a glob as GitLab matches it.
import { RE2JS } from "re2js";

/** The path without leading slashes and `.` segments; `null` when `..` would leave the repository. */
export function normalizeRepoPath(path: string): string | null {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.join("/");
}

/**
 * Files matching an include glob, in repository order. As GitLab (`search_files_by_wildcard_path`):
 * `**` matches anything including `/`, `*` anything but `/`, every other character itself.
 * (Written by hand because GitLab's rule differs from shell globs: `configs/**.yml` spans directories;
 * matched with RE2 so that a hostile pattern cannot make matching take exponential time.)
 */
export function matchIncludeGlob(pattern: string, files: readonly string[]): string[] {
  const source = pattern
    .split("**")
    .map((part) => part.split("*").map(escapeRegex).join("[^/]*?"))
    .join(".*?");
  const re = RE2JS.compile(`^${source}$`);
  return files.filter((file) => re.matches(file));
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const YAML_EXTENSION = /.+\.(yml|yaml)$/i;

/** GitLab accepts only `.yml` / `.yaml` files for includes. */
export function hasYamlExtension(path: string): boolean {
  return YAML_EXTENSION.test(path.split("/").pop() ?? "");
}
