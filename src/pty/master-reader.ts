// Reads every PTY master on one background thread, only while its consumer keeps up (pause = leave it unread).
import { dlopen, FFIType, ptr } from "bun:ffi";
import { masterReaderWorker } from "./master-reader.worker.ts";

const SLOTS = 4096;
/** Output the reader thread may have put in the ring per master before the main thread took it (then it stops reading). */
const IN_FLIGHT_LIMIT = 1 << 20;
/** The ring all masters' output crosses to the main thread in (see master-reader.worker.ts). */
const RING_BYTES = 8 << 20;
const READING = 1;
const PAUSED = 2;
const CLOSE = 3;
const [W, R, SEQ, WAITING] = [0, 1, 2, 3];
const [EOF, CLOSED, WRAP] = [-1, -2, -1];

interface Registration {
  data(bytes: Uint8Array): void;
  eof(): void;
  closed(): void;
}

/** One master being read. Call pause/resume freely; close() once — it resolves after the master fd is closed. */
export interface MasterHandle {
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

let shared: ReturnType<typeof start> | null = null;

function start() {
  const libc = dlopen("libc.so.6", {
    eventfd: { args: [FFIType.u32, FFIType.i32], returns: FFIType.i32 },
    write: { args: [FFIType.i32, FFIType.ptr, FFIType.u64], returns: FFIType.i64 },
  }).symbols;
  const EFD_NONBLOCK = 0o4000,
    EFD_CLOEXEC = 0o2000000;
  const wakeFd = libc.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wakeFd < 0) throw new Error("eventfd failed");
  const ctl = new Int32Array(new SharedArrayBuffer(SLOTS * 3 * 4));
  const ring8 = new Uint8Array(new SharedArrayBuffer(RING_BYTES));
  const ring32 = new Int32Array(ring8.buffer);
  const rc = new Int32Array(new SharedArrayBuffer(4 * 4));
  const registrations = new Map<number, Registration>();
  // Built from the function's source so that it also works inside `bun build --compile` (no worker entry point).
  const source = `(${masterReaderWorker.toString()})()`;
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: "application/javascript" }))) as Worker & {
    ref(): void;
    unref(): void;
  };
  worker.postMessage({
    ctl: ctl.buffer,
    ring: ring8.buffer,
    ringCtl: rc.buffer,
    wakeFd,
    inFlightLimit: IN_FLIGHT_LIMIT,
  });
  const one = new BigUint64Array([1n]);
  const wake = () => void libc.write(wakeFd, ptr(one), 8);

  /** Takes every record the reader thread published, in order; each consumer gets its bytes as its own copy. */
  function drain(): void {
    let r = Atomics.load(rc, R);
    while (r !== Atomics.load(rc, W)) {
      const slot = ring32[r >> 2]!;
      if (slot === WRAP) {
        r = 0;
        Atomics.store(rc, R, r);
        continue;
      }
      const len = ring32[(r >> 2) + 1]!;
      const bytes = len > 0 ? ring8.slice(r + 8, r + 8 + len) : null;
      r += 8 + (len > 0 ? (len + 7) & ~7 : 0);
      if (r === RING_BYTES) r = 0;
      Atomics.store(rc, R, r);
      if (Atomics.load(rc, WAITING) === 1) {
        Atomics.store(rc, WAITING, 0);
        wake();
      }
      const reg = registrations.get(slot);
      if (reg) deliver(reg, slot, len, bytes);
    }
  }
  function deliver(reg: Registration, slot: number, len: number, bytes: Uint8Array | null): void {
    try {
      if (bytes) {
        // Hand the credit back; the worker leaves a master with too much in flight unread until woken.
        const before = Atomics.sub(ctl, 3 * slot + 2, len);
        if (before >= IN_FLIGHT_LIMIT && before - len < IN_FLIGHT_LIMIT) wake();
        reg.data(bytes);
      } else if (len === EOF) reg.eof();
      else if (len === CLOSED) {
        registrations.delete(slot);
        if (registrations.size === 0) worker.unref();
        reg.closed();
      }
    } catch (error) {
      queueMicrotask(() => {
        throw error; // reported like any listener's error; the records after it are still delivered
      });
    }
  }
  (async () => {
    for (;;) {
      const seq = Atomics.load(rc, SEQ);
      drain();
      const next = Atomics.waitAsync(rc, SEQ, seq);
      if (next.async) await next.value;
    }
  })();

  const setState = (slot: number, state: number) => {
    Atomics.store(ctl, 3 * slot + 1, state);
    wake();
  };
  let next = 0;
  return {
    add(fd: number, r: Omit<Registration, "closed">): MasterHandle {
      let slot = -1;
      for (let i = 0; i < SLOTS && slot < 0; i++, next = (next + 1) % SLOTS) {
        if (Atomics.load(ctl, 3 * next + 1) === 0 && !registrations.has(next)) slot = next;
      }
      if (slot < 0) throw new Error(`more than ${SLOTS} terminals open`);
      let closing: Promise<void> | null = null;
      let ended = false; // after EOF the worker leaves the master unpolled: resuming would only spin on POLLHUP
      let resolveClosed = () => {};
      const eof = () => {
        ended = true;
        r.eof();
      };
      registrations.set(slot, { data: r.data, eof, closed: () => resolveClosed() });
      worker.ref();
      ctl[3 * slot] = fd;
      Atomics.store(ctl, 3 * slot + 2, 0);
      setState(slot, READING);
      return {
        pause: () => closing || setState(slot, PAUSED),
        resume: () => closing || ended || setState(slot, READING),
        close: () =>
          (closing ??= new Promise<void>((resolve) => {
            resolveClosed = resolve;
            setState(slot, CLOSE);
          })),
      };
    },
  };
}

/**
 * Starts reading `fd` (a non-blocking PTY master): `data` gets output in order, `eof` once every slave fd is closed.
 * The master belongs to the reader from now on: close it only through the handle.
 */
export function readMaster(fd: number, listeners: { data(bytes: Uint8Array): void; eof(): void }): MasterHandle {
  shared ??= start();
  return shared.add(fd, listeners);
}
