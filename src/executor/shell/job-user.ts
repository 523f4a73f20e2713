// Who shell jobs run as: an unprivileged user when the server is root (unless `runner.shell_user` says otherwise).
import { readFileSync } from "node:fs";
import { userInfo } from "node:os";

export interface JobUser {
  name: string;
  uid: number;
  gid: number;
}

/** The user a root server runs jobs as when `runner.shell_user` is empty. */
const DEFAULT_UNPRIVILEGED = "nobody";

/** `name:x:uid:gid:…` lines of /etc/passwd; empty when it cannot be read. */
function passwdEntries(): JobUser[] {
  let text = "";
  try {
    text = readFileSync("/etc/passwd", "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .map((line) => line.split(":"))
    .filter((f) => f.length >= 4 && /^\d+$/.test(f[2]!) && /^\d+$/.test(f[3]!))
    .map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]) }));
}

/** A user by name or numeric uid; a uid missing from /etc/passwd gets the group of the same number. */
function lookUp(spec: string): JobUser | null {
  const entries = passwdEntries();
  const byName = entries.find((e) => e.name === spec);
  if (byName) return byName;
  if (!/^\d+$/.test(spec)) return null;
  const uid = Number(spec);
  return entries.find((e) => e.uid === uid) ?? { name: spec, uid, gid: uid };
}

/**
 * The job's user for `runner.shell_user = spec`. A root server: `spec`, or "nobody" when empty ("root" only when
 * named). Any other server can only run jobs as itself: a `spec` naming someone else throws, saying so.
 */
export function resolveJobUser(spec: string, serverUid = process.getuid?.() ?? 0): JobUser {
  const self = { name: userInfo().username, uid: serverUid, gid: process.getgid?.() ?? serverUid };
  if (serverUid !== 0) {
    const wanted = spec === "" ? self : lookUp(spec);
    if (wanted && wanted.uid === serverUid) return self;
    throw new Error(
      `runner.shell_user = ${JSON.stringify(spec)}: the server runs as ${self.name} (uid ${serverUid}), not root, so shell jobs can only run as ${self.name}; leave runner.shell_user empty`,
    );
  }
  const user = lookUp(spec === "" ? DEFAULT_UNPRIVILEGED : spec);
  if (user) return user;
  if (spec === "") return { name: DEFAULT_UNPRIVILEGED, uid: 65534, gid: 65534 };
  throw new Error(`runner.shell_user = ${JSON.stringify(spec)}: no such user in /etc/passwd (give a name or a uid)`);
}
