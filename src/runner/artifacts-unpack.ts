// Unpacks a dependency's artifacts zip into the project dir: relative paths only, never through a symlink.
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  ftruncateSync,
  lstatSync,
  mkdirSync,
  openSync,
  readlinkSync,
  realpathSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join, normalize, posix } from "node:path";
import { readZip } from "../shared/zip-archive.ts";

export interface UnpackResult {
  files: number;
  /** Entries left out (a path outside the project dir, a symlink on the way): one line each for the log. */
  skipped: string[];
}

/** Throws ZipRefused for a zip over the limits (a zip bomb) before writing anything. */
export function unpackArtifacts(projectDir: string, zip: Uint8Array, limits: { maxFiles: number; maxBytes: number }) {
  const root = realpathSync(projectDir);
  const entries = readZip(zip, limits);
  const result: UnpackResult = { files: 0, skipped: [] };
  for (const entry of entries) {
    const rel = posix.normalize(entry.path);
    if (rel.startsWith("/") || rel === ".." || rel.startsWith("../") || rel === "." || rel.includes("\0")) {
      result.skipped.push(`${entry.path}: outside the project directory, not unpacked`);
      continue;
    }
    const parts = rel.split("/");
    const dirs = entry.dir ? parts : parts.slice(0, -1);
    if (!makeDirs(root, dirs)) {
      result.skipped.push(`${entry.path}: a symbolic link or a file is in the way, not unpacked`);
      continue;
    }
    if (entry.dir) continue;
    if (!writeInside(root, rel, entry.data, entry.mode)) {
      result.skipped.push(`${entry.path}: a symbolic link or a directory is in the way, not unpacked`);
      continue;
    }
    result.files += 1;
  }
  return result;
}

/** Creates each directory of `parts` under root; false when one of them is a symlink or not a directory. */
function makeDirs(root: string, parts: string[]): boolean {
  let path = root;
  for (const part of parts) {
    path = join(path, part);
    try {
      mkdirSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") return false;
    }
    const st = lstatSync(path);
    if (st.isSymbolicLink() || !st.isDirectory()) return false;
  }
  return true;
}

/**
 * Writes the file without following a final symlink, and only once the kernel confirms the opened file is inside
 * root; a file with other hard links (it may be someone else's) is replaced, not written through.
 */
function writeInside(root: string, rel: string, data: Uint8Array, mode: number): boolean {
  const path = join(root, rel);
  const open = (extra: number) =>
    openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK | extra, 0o600);
  let fd: number;
  try {
    fd = open(0);
    if (fstatSync(fd).nlink > 1) {
      closeSync(fd);
      unlinkSync(path);
      fd = open(constants.O_EXCL);
    }
  } catch {
    return false;
  }
  try {
    if (!normalize(readlinkSync(`/proc/self/fd/${fd}`)).startsWith(`${root}/`)) return false;
    if (!fstatSync(fd).isFile()) return false;
    ftruncateSync(fd, 0);
    for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
    fchmodSync(fd, mode & 0o777);
    return true;
  } finally {
    closeSync(fd);
  }
}
