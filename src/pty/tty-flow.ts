// Suspends and restarts a terminal's output inside the kernel (tcflow TCOOFF/TCOON), through libc via bun:ffi.
import { dlopen, FFIType } from "bun:ffi";

/** tcflow() actions; the values are Linux's (glibc `<termios.h>`). */
const TCOOFF = 0;
const TCOON = 1;

type Libc = { tcflow(fd: number, action: number): number };
let libc: Libc | null | undefined;

function load(): Libc | null {
  if (libc !== undefined) return libc;
  if (process.platform !== "linux") return (libc = null);
  try {
    const lib = dlopen("libc.so.6", { tcflow: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 } });
    libc = { tcflow: (fd, action) => lib.symbols.tcflow(fd, action) };
  } catch {
    libc = null;
  }
  return libc;
}

/** Whether output can be suspended on this platform (Linux with glibc). */
export function canSuspendOutput(): boolean {
  return load() !== null;
}

/**
 * Suspends output of the terminal whose slave side `slaveFd` is: a program writing to it blocks in write(2)
 * until resumeOutput(). Unlike Ctrl-S it works in raw mode and Ctrl-Q cannot undo it; signals (Ctrl-C) still
 * reach the program. Returns false when the call failed (the fd is closed, or no libc).
 */
export function suspendOutput(slaveFd: number): boolean {
  return load()?.tcflow(slaveFd, TCOOFF) === 0;
}

/** Lets output flow again after suspendOutput(). Returns false when the call failed. */
export function resumeOutput(slaveFd: number): boolean {
  return load()?.tcflow(slaveFd, TCOON) === 0;
}
