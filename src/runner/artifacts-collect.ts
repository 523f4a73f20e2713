// Collects a job's artifact paths from its project dir into a zip, never reading through a symlink or outside it.
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
} from "node:fs";
import { join, normalize, posix } from "node:path";
import type { PayloadArtifact } from "../domain/artifacts.ts";
import { writeZip, type ZipEntry } from "../shared/zip-archive.ts";

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
  const lines: Collected["lines"] = [];
  const picked = new Map<string, ZipEntry>();
  const excludes = artifact.exclude.flatMap((p) => {
    const clean = cleanPattern(p);
    return clean ? [new Bun.Glob(clean)] : [];
  });
  const excluded = (rel: string) => excludes.some((g) => ancestors(rel).some((a) => g.match(a)));
  let tree: Map<string, { dir: boolean; symlink: boolean }> | null = null;
  const treeOf = () => {
    tree ??= walk(root, limits.maxFiles * 10);
    return tree;
  };
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
  /** Adds `rel` and, for a directory, everything under it; returns how many symlinks it left out. */
  const addTree = (rel: string): number => {
    const info = treeOf().get(rel);
    if (!info) return 0;
    if (info.symlink) return 1;
    add(rel, info.dir);
    let links = 0;
    if (info.dir)
      for (const [path, i] of treeOf()) {
        if (!path.startsWith(`${rel}/`)) continue;
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
    if (pattern === "") {
      for (const [path, i] of treeOf()) {
        if (i.symlink) symlinks += 1;
        else add(path, i.dir);
      }
    } else if (GLOB_CHARS.test(pattern)) {
      const glob = new Bun.Glob(pattern);
      for (const path of [...treeOf().keys()]) if (glob.match(path)) symlinks += addTree(path);
    } else {
      symlinks += addTree(pattern);
    }
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
    const info = treeOf().get(rel);
    if (info && !info.symlink && !info.dir) add(rel, false);
  }
  if (untracked.length > 0) lines.push({ warning: false, text: `untracked: found ${untracked.length} files` });
  if (overLimit) return { zip: null, lines, overLimit };
  return { zip: picked.size > 0 ? writeZip([...picked.values()]) : null, lines };
}

/** A path pattern relative to the project dir (`""` for the dir itself), or null when it points outside it. */
function cleanPattern(raw: string): string | null {
  if (raw.startsWith("/")) return null;
  const clean = posix.normalize(raw).replace(/\/+$/, "");
  if (clean === ".." || clean.startsWith("../")) return null;
  return clean === "." ? "" : clean;
}

const ancestors = (rel: string) => rel.split("/").map((_, i, parts) => parts.slice(0, i + 1).join("/"));

/** Every entry under `root` by relative path, by lstat: symlinks are listed as such and never descended into. */
function walk(root: string, cap: number): Map<string, { dir: boolean; symlink: boolean }> {
  const out = new Map<string, { dir: boolean; symlink: boolean }>();
  const pending = [""];
  while (pending.length > 0 && out.size < cap) {
    const rel = pending.pop()!;
    let names: string[];
    try {
      names = readdirSync(join(root, rel));
    } catch {
      continue;
    }
    for (const name of names) {
      if (rel === "" && name === ".git") continue;
      const path = rel ? `${rel}/${name}` : name;
      let st: ReturnType<typeof lstatSync>;
      try {
        st = lstatSync(join(root, path));
      } catch {
        continue;
      }
      out.set(path, { dir: st.isDirectory(), symlink: st.isSymbolicLink() });
      if (st.isDirectory()) pending.push(path);
    }
  }
  return out;
}

/**
 * The file at `rel`, opened without following a final symlink, and read only when the opened file really is inside
 * `root` (a directory swapped for a link while we walk is caught here: the kernel says where the fd points);
 * "too large" when it alone is over the bytes left.
 */
function readInside(root: string, rel: string, budget: number): ZipEntry | "too large" | null {
  let fd: number;
  try {
    fd = openSync(join(root, rel), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const real = readlinkSync(`/proc/self/fd/${fd}`);
    if (!normalize(real).startsWith(`${root}/`)) return null;
    const st = fstatSync(fd);
    if (!st.isFile()) return null;
    if (st.size > budget) return "too large";
    const data = new Uint8Array(st.size);
    let at = 0;
    while (at < data.length) {
      const n = readSync(fd, data, at, data.length - at, at);
      if (n <= 0) break;
      at += n;
    }
    return { path: rel, mode: st.mode & 0o777, data: data.subarray(0, at) };
  } finally {
    closeSync(fd);
  }
}
