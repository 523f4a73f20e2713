// The project dir as the artifact collector sees it: lstat only, symlinks listed but never followed, files read
// only when the kernel confirms the opened file is inside the project dir.
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync } from "node:fs";
import { join, normalize } from "node:path";
import type { ZipEntry } from "../shared/zip-archive.ts";

export interface EntryInfo {
  dir: boolean;
  symlink: boolean;
}

export interface ProjectTree {
  /** The entry at `rel`, when every directory on the way is a real one (not a link); null when missing. */
  stat(rel: string): EntryInfo | null;
  /** Every entry below directory `rel` (`""`: the project dir), never descending a link; `.git` left out. */
  under(rel: string): [string, EntryInfo][];
  /** Whether listing stopped at the cap (the collector warns). */
  truncated(): boolean;
}

export function projectTree(root: string, cap: number): ProjectTree {
  let listed = 0;
  const lstat = (rel: string) => {
    try {
      return lstatSync(join(root, rel));
    } catch {
      return null;
    }
  };
  const stat = (rel: string): EntryInfo | null => {
    const parts = rel.split("/");
    for (let i = 1; i < parts.length; i++) {
      const up = lstat(parts.slice(0, i).join("/"));
      if (!up?.isDirectory()) return null;
    }
    const st = lstat(rel);
    return st ? { dir: st.isDirectory(), symlink: st.isSymbolicLink() } : null;
  };
  const under = (start: string): [string, EntryInfo][] => {
    const out: [string, EntryInfo][] = [];
    if (start !== "" && !stat(start)?.dir) return out;
    const pending = [start];
    while (pending.length > 0 && listed < cap) {
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
        const st = lstat(path);
        if (!st) continue;
        listed += 1;
        out.push([path, { dir: st.isDirectory(), symlink: st.isSymbolicLink() }]);
        if (st.isDirectory()) pending.push(path);
      }
    }
    return out;
  };
  return { stat, under, truncated: () => listed >= cap };
}

/**
 * The file at `rel`, opened without following a final symlink, and read only when the opened file really is inside
 * `root` (a directory swapped for a link mid-walk is caught here: the kernel says where the fd points);
 * "too large" when it alone is over `budget` bytes; null when it is not a regular file inside root, or a hard link
 * to a file of another owner than the project dir's (the job's user cannot have made it, so it is not the job's).
 */
export function readInside(root: string, rel: string, budget: number): ZipEntry | "too large" | null {
  const owner = lstatSync(root).uid;
  let fd: number;
  try {
    fd = openSync(join(root, rel), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    if (!normalize(readlinkSync(`/proc/self/fd/${fd}`)).startsWith(`${root}/`)) return null;
    const st = fstatSync(fd);
    if (!st.isFile() || (st.nlink > 1 && st.uid !== owner)) return null;
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
