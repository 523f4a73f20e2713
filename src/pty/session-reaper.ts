// Finds and kills every process of a terminal's session (setsid), so that nothing a shell started is left behind.
import { readdirSync, readFileSync } from "node:fs";

/** The pids whose session id is `sid` (Linux /proc; zombies excluded: they are gone, only not yet reaped). */
export function sessionMembers(sid: number): number[] {
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return found;
  }
  for (const name of entries) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "latin1");
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp session …": comm may hold spaces and parentheses, so split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] !== "Z" && Number(fields[3]) === sid) found.push(Number(name));
  }
  return found;
}

/** Sends `signal` to every live member of session `sid`; returns how many it signalled. */
export function signalSession(sid: number, signal: NodeJS.Signals): number {
  let sent = 0;
  for (const pid of sessionMembers(sid)) {
    try {
      process.kill(pid, signal);
      sent++;
    } catch {
      // Already gone.
    }
  }
  return sent;
}

/**
 * SIGKILLs the session's members until none is left (a member may fork while being killed); gives up after
 * `rounds` passes, returning the pids still alive (empty when the session is gone).
 */
export async function killSession(sid: number, rounds = 20): Promise<number[]> {
  for (let i = 0; i < rounds; i++) {
    if (signalSession(sid, "SIGKILL") === 0) return [];
    await Bun.sleep(10);
  }
  return sessionMembers(sid);
}
