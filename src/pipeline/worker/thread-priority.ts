// Lowers the calling thread's CPU priority (Linux nice values are per thread), so compiles yield to the event loop.
import { dlopen, FFIType } from "bun:ffi";

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
