// The bubblewrap and nsenter command lines of a shell job's sandbox: what it mounts, who runs in it.
import { lstatSync, readlinkSync, realpathSync } from "node:fs";
import { dirname } from "node:path";
import type { JobUser } from "./job-user.ts";

/** The system, read-only; a top-level link (`/bin -> usr/bin`) is recreated as the same link. */
const SYSTEM_PATHS = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt"];
/** The job's home: a private tmpfs that lives as long as the job. */
export const SANDBOX_HOME = "/home/job";
/** Where the sandbox's own programs are looked up. */
export const SANDBOX_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface SandboxLayout {
  /** The job's build folder: the only host path it can write. */
  projectDir: string;
  /** The job's scripts, next to the build folder: readable, not writable. */
  scriptsDir: string;
  /** A job being debugged: its control folder, read-write (breakpoints, the saved shell state). */
  controlDir?: string;
  /** Host paths that must not be seen even when they lie below a system path (data_dir, the builds root). */
  hiddenPaths: readonly string[];
  user: JobUser;
}

function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

/** `--ro-bind` for each system directory present, `--symlink` for each that is a link; none inside `hidden`. */
function systemMounts(hidden: readonly string[]): string[] {
  const args: string[] = [];
  for (const path of SYSTEM_PATHS) {
    if (hidden.some((h) => isUnder(path, h))) continue;
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) args.push("--symlink", readlinkSync(path), path);
    else if (stat?.isDirectory()) args.push("--ro-bind", path, path);
  }
  // A resolv.conf that links into /run (systemd-resolved, resolvconf): bind the file it names, nothing else of /run.
  const resolv = lstatSync("/etc/resolv.conf", { throwIfNoEntry: false });
  if (resolv?.isSymbolicLink()) {
    const target = realpathSync.native("/etc/resolv.conf");
    if (!SYSTEM_PATHS.some((p) => isUnder(target, p))) args.push("--ro-bind-try", target, target);
  }
  return args;
}

/** The directories above `path` (outermost first), excluding `/`. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let dir = dirname(path); dir !== "/" && dir !== "."; dir = dirname(dir)) out.unshift(dir);
  return out;
}

/**
 * The sandbox's init: new mount, PID, IPC and UTS namespaces (and a user namespace when the server is not root,
 * where the server's uid is the namespace's root), the system read-only, private /dev, /proc, /tmp and home,
 * the build folder read-write, scripts read-only; nothing else of the host's files. It dies with its parent, and
 * the whole PID namespace with it.
 */
export function sandboxInitArgv(bwrap: string, layout: Omit<SandboxLayout, "user">, serverIsRoot: boolean): string[] {
  const args = [bwrap, "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent"];
  if (!serverIsRoot) args.push("--unshare-user", "--uid", "0", "--gid", "0");
  args.push(...systemMounts(layout.hiddenPaths));
  const systemRoots = SYSTEM_PATHS.filter((p) => args.includes(p));
  const hidden = layout.hiddenPaths.filter((h) => systemRoots.some((root) => isUnder(h, root) && h !== root));
  for (const path of hidden) args.push("--tmpfs", path);
  args.push("--dev", "/dev", "--proc", "/proc");
  const tmpfs = [...hidden, "/tmp", "/var/tmp", SANDBOX_HOME];
  const exists = (dir: string) =>
    tmpfs.includes(dir) ||
    (systemRoots.some((root) => isUnder(dir, root)) && !tmpfs.some((t) => dir.startsWith(`${t}/`)));
  // Folders bwrap makes on the way to a mount are root's and 0700: make them passable for the job's user.
  const made = new Set<string>();
  const parentsOf = (dest: string) => {
    for (const dir of ancestors(dest)) {
      if (made.has(dir) || exists(dir)) continue;
      made.add(dir);
      args.push("--perms", "0755", "--dir", dir);
    }
  };
  for (const dest of ["/tmp", "/var/tmp", SANDBOX_HOME]) {
    parentsOf(dest);
    args.push("--perms", dest === SANDBOX_HOME ? "0700" : "01777", "--tmpfs", dest);
  }
  parentsOf(layout.projectDir);
  parentsOf(layout.scriptsDir);
  args.push("--bind", layout.projectDir, layout.projectDir, "--ro-bind", layout.scriptsDir, layout.scriptsDir);
  if (layout.controlDir) {
    parentsOf(layout.controlDir);
    args.push("--bind", layout.controlDir, layout.controlDir);
  }
  // The init's working directory is the one nsenter gives every program entering (`--wd`).
  args.push("--info-fd", "3", "--chdir", layout.projectDir);
  // `cat` holds the namespaces: it echoes the `ready` line written to it once the sandbox is set up, and ends
  // when the server's end of its stdin closes (the server is gone), as --die-with-parent also ensures.
  args.push("--", "cat");
  return args;
}

export interface EnterPrograms {
  nsenter: string;
}

/**
 * The argv prefix that runs a program inside the sandbox whose init has host pid `initPid`, as the job's user,
 * without privileges (no capabilities, no setuid gain), in the init's working directory (the project
 * directory). Append the program and its arguments.
 */
export function enterArgv(programs: EnterPrograms, initPid: number, user: JobUser, serverIsRoot: boolean): string[] {
  const join = ["-t", String(initPid), "-m", "-p", "-i", "-u", "--wd"];
  if (!serverIsRoot) {
    // The user namespace maps the server's uid to 0: keep it, with every capability gone for good.
    const drop = ["/usr/bin/setpriv", "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs"];
    return [programs.nsenter, "-U", ...join, "--preserve-credentials", "--", ...drop];
  }
  if (user.uid === 0) return [programs.nsenter, ...join, "--"];
  const become = ["/usr/bin/setpriv", `--reuid=${user.uid}`, `--regid=${user.gid}`, "--clear-groups", "--no-new-privs"];
  return [programs.nsenter, ...join, "--", ...become];
}
