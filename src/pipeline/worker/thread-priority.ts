// A compile thread's scheduling: its nice value (Linux nice values are per thread) and the CPU time it has used.

import { dlopen, FFIType } from "bun:ffi";
import { readFileSync } from "node:fs";

const PRIO_PROCESS = 0;

/** Sets the calling thread's nice value; false when libc refused (the compile still runs, only at normal priority). */
export function niceThisThread(nice: number): boolean {
  try {
    const libc = dlopen("libc.so.6", {
      setpriority: { args: [FFIType.i32, FFIType.u32, FFIType.i32], returns: FFIType.i32 },
    });
    // who = 0 on Linux means the calling thread, not the whole process.
    const ok = libc.symbols.setpriority(PRIO_PROCESS, 0, nice) === 0;
    libc.close();
    return ok;
  } catch {
    return false;
  }
}

/** The calling thread's kernel id (for threadCpuMs), or null when libc has no gettid. */
export function thisThreadId(): number | null {
  try {
    const libc = dlopen("libc.so.6", { gettid: { args: [], returns: FFIType.i32 } });
    const tid = libc.symbols.gettid();
    libc.close();
    return tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system, ms) a thread of this process has used, from /proc; null when it cannot be read. */
export function threadCpuMs(tid: number): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (USER_HZ: 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
