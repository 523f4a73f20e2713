// The few libc calls a PTY needs (bun:ffi, Linux/glibc): open a master, name its slave, size it, write and read it.
import { CString, dlopen, FFIType, ptr } from "bun:ffi";

const O_RDWR = 0o2;
const O_NOCTTY = 0o400;
const O_NONBLOCK = 0o4000;
const O_CLOEXEC = 0o2000000;
const TIOCSWINSZ = 0x5414;

function load() {
  return dlopen("libc.so.6", {
    posix_openpt: { args: [FFIType.i32], returns: FFIType.i32 },
    grantpt: { args: [FFIType.i32], returns: FFIType.i32 },
    unlockpt: { args: [FFIType.i32], returns: FFIType.i32 },
    ptsname: { args: [FFIType.i32], returns: FFIType.ptr },
    ioctl: { args: [FFIType.i32, FFIType.u64, FFIType.ptr], returns: FFIType.i32 },
    write: { args: [FFIType.i32, FFIType.ptr, FFIType.u64], returns: FFIType.i64 },
    read: { args: [FFIType.i32, FFIType.ptr, FFIType.u64], returns: FFIType.i64 },
    ppoll: { args: [FFIType.ptr, FFIType.u64, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  }).symbols;
}

let libc: ReturnType<typeof load> | null = null;
const sym = () => (libc ??= load());

/** A new non-blocking PTY master and the path of its slave side. Throws when the system has no PTYs to give. */
export function openMaster(): { master: number; slavePath: string } {
  const c = sym();
  const master = c.posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (master < 0) throw new Error("posix_openpt failed: no pseudo-terminal available");
  const name = c.grantpt(master) === 0 && c.unlockpt(master) === 0 ? c.ptsname(master) : null;
  if (!name) throw new Error("grantpt/unlockpt/ptsname failed on a new pseudo-terminal");
  return { master, slavePath: new CString(name).toString() };
}

/** Sets the terminal's size; the kernel sends SIGWINCH to its foreground process group. */
export function setWindowSize(master: number, cols: number, rows: number): void {
  sym().ioctl(master, TIOCSWINSZ, ptr(new Uint16Array([rows, cols, 0, 0])));
}

/** write(2) on the non-blocking master: bytes written, or -1 (full: try again later, or closed). */
export function writeMaster(master: number, bytes: Uint8Array): number {
  return bytes.length === 0 ? 0 : Number(sym().write(master, ptr(bytes), bytes.length));
}

/** read(2) on the non-blocking master into `into` (at most `max` bytes): bytes read, 0 when it has none (or EOF). */
export function readNow(master: number, into: Uint8Array, max: number): number {
  return Math.max(0, Number(sym().read(master, ptr(into), Math.min(max, into.length))));
}

const POLLIN = 1;
/** struct pollfd {int fd; short events; short revents} as two int32s (little-endian: revents in the high half). */
const pollFd = new Int32Array(2);
/** struct timespec {tv_sec, tv_nsec}. */
const timeout = new BigInt64Array(2);

/** Blocks this thread until the master has output, at most `ns` nanoseconds (below 1 s); true when it has. */
export function waitReadable(master: number, ns: number): boolean {
  pollFd[0] = master;
  pollFd[1] = POLLIN;
  timeout[0] = 0n;
  timeout[1] = BigInt(ns);
  return sym().ppoll(ptr(pollFd), 1, ptr(timeout), null) > 0 && ((pollFd[1]! >>> 16) & POLLIN) !== 0;
}
