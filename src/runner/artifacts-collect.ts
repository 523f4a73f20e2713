// Collects a job's artifact paths from its project dir into a zip, never reading through a symlink or outside it.
import { realpathSync } from "node:fs";
import { posix } from "node:path";
import type { PayloadArtifact } from "../domain/artifacts.ts";
import { writeZip, type ZipEntry } from "../shared/zip-archive.ts";
import { type EntryInfo, projectTree, readInside } from "./project-tree.ts";

export interface CollectLimits {
  maxFiles: number;
  maxBytes: number;
}

/** What collecting found: the zip (null when nothing matched) and the lines the log shows, in order. */
export interface Collected {
  zip: Uint8Array | null;
  lines: { warning: boolean; text: string }[];
  /** Set when a limit was passed: the job fails with this message. */
  overLimit?: string;
}

const GLOB_CHARS = /[*?[{]/;
/** Entries listed at most while matching globs (a huge node_modules does not stall the job). */
const MAX_LISTED = 1_000_000;

/**
 * Matches `artifact.paths` (GitLab's doublestar globs; a directory brings everything under it) minus `exclude`,
 * relative to `projectDir`. `untracked` adds the given relative paths (git's untracked files).
 */
export function collectArtifacts(
  projectDir: string,
  artifact: PayloadArtifact,
  untracked: string[],
  limits: CollectLimits,
): Collected {
  const root = realpathSync(projectDir);
  const tree = projectTree(root, MAX_LISTED);
  const lines: Collected["lines"] = [];
  const picked = new Map<string, ZipEntry>();
  const excludes = artifact.exclude.flatMap((p) => {
    const clean = cleanPattern(p);
    return clean ? [new Bun.Glob(clean)] : [];
  });
  const excluded = (rel: string) => excludes.some((g) => ancestors(rel).some((a) => g.match(a)));
  let bytes = 0;
  let overLimit: string | undefined;

  const add = (rel: string, isDir: boolean) => {
    if (overLimit || picked.has(rel) || excluded(rel)) return;
    if (picked.size >= limits.maxFiles) {
      overLimit = `too many artifact files: more than ${limits.maxFiles} (artifacts.max_files)`;
      return;
    }
    const entry = isDir
      ? { path: rel, mode: 0o755, data: new Uint8Array(0), dir: true }
      : readInside(root, rel, limits.maxBytes - bytes);
    if (entry === "too large") {
      overLimit = `artifacts are larger than ${limits.maxBytes} bytes (artifacts.max_size)`;
      return;
    }
    if (!entry) return;
    bytes += entry.data.length;
    picked.set(rel, entry);
  };
  /** Adds `rel` and, for a directory, everything below it; returns how many symlinks it left out. */
  const addTree = (rel: string, info: EntryInfo | null): number => {
    if (!info) return 0;
    if (info.symlink) return 1;
    add(rel, info.dir);
    return info.dir ? addAll(tree.under(rel)) : 0;
  };
  const addAll = (entries: [string, EntryInfo][]): number => {
    let links = 0;
    for (const [path, i] of entries) {
      if (i.symlink) links += 1;
      else add(path, i.dir);
    }
    return links;
  };

  for (const raw of artifact.paths) {
    const pattern = cleanPattern(raw);
    if (pattern === null) {
      lines.push({ warning: true, text: `${raw}: artifact path is not a subpath of project directory: ${projectDir}` });
      continue;
    }
    const before = picked.size;
    let symlinks = 0;
    if (pattern === "") symlinks = addAll(tree.under(""));
    else if (GLOB_CHARS.test(pattern)) {
      const glob = new Bun.Glob(pattern);
      for (const [path, info] of tree.under(literalPrefix(pattern)))
        if (glob.match(path)) symlinks += addTree(path, info);
    } else symlinks = addTree(pattern, tree.stat(pattern));
    if (symlinks > 0)
      lines.push({
        warning: true,
        text: `${raw}: ${symlinks} symbolic link(s) not collected (artifacts never follow links)`,
      });
    const found = picked.size - before;
    if (found > 0)
      lines.push({ warning: false, text: `${raw}: found ${found} matching artifact files and directories` });
    else if (symlinks === 0)
      lines.push({
        warning: true,
        text: `${raw}: no matching files. Ensure that the artifact path is relative to the working directory (${projectDir})`,
      });
  }
  for (const rel of untracked) {
    const info = tree.stat(rel);
    if (info && !info.symlink && !info.dir) add(rel, false);
  }
  if (untracked.length > 0) lines.push({ warning: false, text: `untracked: found ${untracked.length} files` });
  if (tree.truncated())
    lines.push({
      warning: true,
      text: `the project dir has more than ${MAX_LISTED} entries: only the first were matched`,
    });
  if (overLimit) return { zip: null, lines, overLimit };
  return { zip: picked.size > 0 ? writeZip([...picked.values()]) : null, lines };
}

/** The directory a glob can match below: its segments before the first one with a wildcard. */
function literalPrefix(pattern: string): string {
  const parts = pattern.split("/");
  const first = parts.findIndex((p) => GLOB_CHARS.test(p));
  return parts.slice(0, first).join("/");
}

/** A path pattern relative to the project dir (`""` for the dir itself), or null when it points outside it. */
function cleanPattern(raw: string): string | null {
  if (raw.startsWith("/")) return null;
  const clean = posix.normalize(raw).replace(/\/+$/, "");
  if (clean === ".." || clean.startsWith("../")) return null;
  return clean === "." ? "" : clean;
}

const ancestors = (rel: string) => rel.split("/").map((_, i, parts) => parts.slice(0, i + 1).join("/"));
