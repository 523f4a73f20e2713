// What a cache holds: the files its `paths` globs and `untracked` name in the project dir, never a link's target.
import { lstat, readdir } from "node:fs/promises";
import { join, normalize } from "node:path";

/** Lines for the job log, in gitlab-runner's words. */
export interface PathReport {
  info(line: string): void;
  warning(line: string): void;
}

const GLOB_CHARS = /[*?[{]/;

/**
 * The relative paths to archive, each directory before what it holds, every parent directory listed (so that an
 * extract replaces a link in a parent's place rather than writing through it). A pattern that leaves the project
 * dir, or reaches a path through a symbolic link, matches nothing. Directories are walked without following links.
 */
export async function cachePaths(
  projectDir: string,
  patterns: readonly string[],
  untracked: readonly string[],
  report: PathReport,
): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    const matches = await matchPattern(projectDir, pattern);
    const before = found.size;
    for (const match of matches) await addTree(projectDir, match, found);
    const count = found.size - before;
    if (count === 0 && matches.length === 0)
      report.warning(
        `${pattern}: no matching files. Ensure that the artifact path is relative to the working directory (${projectDir})`,
      );
    else report.info(`${pattern}: found ${count} matching artifact files and directories`);
  }
  if (untracked.length > 0) {
    const before = found.size;
    for (const path of untracked) if (await insideProject(projectDir, path)) found.add(path);
    report.info(`untracked: found ${found.size - before} files`);
  }
  return withParents(found);
}

async function matchPattern(projectDir: string, pattern: string): Promise<string[]> {
  const clean = normalize(pattern).replace(/\/+$/, "");
  if (clean.startsWith("/") || clean === ".." || clean.startsWith("../") || clean === "") return [];
  // The whole project dir, but not the job's `.git` (the runner's checkout makes that anew).
  if (clean === ".") return (await readdir(projectDir)).filter((name) => name !== ".git");
  if (!GLOB_CHARS.test(clean)) return (await insideProject(projectDir, clean)) ? [clean] : [];
  const glob = new Bun.Glob(clean);
  const out: string[] = [];
  for await (const path of glob.scan({ cwd: projectDir, onlyFiles: false, followSymlinks: false, dot: true })) {
    if (await insideProject(projectDir, path)) out.push(path);
  }
  return out;
}

/** The path exists and no parent of it is a link (a link itself may be cached, as a link). */
export async function insideProject(projectDir: string, path: string): Promise<boolean> {
  const segments = path.split("/");
  if (segments.some((s) => s === ".." || s === "" || s === ".")) return false;
  let at = projectDir;
  for (const [i, segment] of segments.entries()) {
    at = join(at, segment);
    const stat = await lstat(at).catch(() => null);
    if (!stat) return false;
    if (i < segments.length - 1 && !stat.isDirectory()) return false;
  }
  return true;
}

async function addTree(projectDir: string, path: string, into: Set<string>): Promise<void> {
  into.add(path);
  const stat = await lstat(join(projectDir, path));
  if (!stat.isDirectory()) return;
  for (const entry of await readdir(join(projectDir, path), { withFileTypes: true })) {
    const child = `${path}/${entry.name}`;
    if (entry.isDirectory()) await addTree(projectDir, child, into);
    else into.add(child);
  }
}

function withParents(paths: Set<string>): string[] {
  const all = new Set<string>();
  for (const path of paths) {
    const segments = path.split("/");
    for (let i = 1; i <= segments.length; i++) all.add(segments.slice(0, i).join("/"));
  }
  // Sorting by segments puts every directory before its contents.
  return [...all].sort((a, b) => compareSegments(a.split("/"), b.split("/")));
}

function compareSegments(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}
