// The PTY reader thread: epoll-waits on every active master and reads it straight into a shared ring (master-reader.ts).

/**
 * Runs inside a Worker built from this function's source, so it must not reference anything outside itself.
 *
 * Control comes through SharedArrayBuffers. `ctl`: slot i holds [fd, state, inFlight] with state 0 free,
 * 1 reading, 2 paused, 3 close requested, and inFlight the bytes put in the ring that the main thread has not
 * taken yet: past `inFlightLimit` the master is left unread, so a busy main thread cannot make output pile up.
 * `wakeFd` (an eventfd) interrupts epoll_wait after the main thread changed a slot, took credit back, or made
 * room in a ring it found full.
 *
 * Output goes the other way through `ring` (one single-producer single-consumer byte ring for all masters):
 * 8-aligned records [slot, len] + len bytes, read from the master directly into the ring; len -1 means EOF on
 * that master (every slave fd is closed), -2 that it was closed on request, slot -1 that the ring wraps here.
 * `ringCtl` holds [write offset, read offset, sequence, writer waiting for room]; the sequence is bumped and
 * Atomics.notify'd after each publish, which wakes the main thread's Atomics.waitAsync — a cheaper hand-off
 * than postMessage (no message object, no clone, no transfer). The main thread never closes a master the
 * worker may be waiting on: it asks (state 3) and gets the -2 record.
 */
export function masterReaderWorker(): void {
  const FREE = 0,
    READING = 1,
    PAUSED = 2,
    CLOSE = 3;
  const EPOLLIN = 0x1,
    EPOLLERR = 0x8,
    EPOLLHUP = 0x10;
  const EPOLL_CTL_ADD = 1,
    EPOLL_CTL_DEL = 2;
  const W = 0,
    R = 1,
    SEQ = 2,
    WAITING = 3;
  const EOF = -1,
    CLOSED = -2,
    WRAP = -1;
  const BATCH = 256 * 1024;
  /** A read is only started with at least this much room, else the writer wraps or waits for room. */
  const MIN_ROOM = 4096;
  const MAX_EVENTS = 64;
  // struct epoll_event is packed on x86-64 (12 bytes), naturally aligned elsewhere (16 bytes).
  const STRIDE = process.arch === "x64" ? 3 : 4;
  const worker = globalThis as unknown as {
    onmessage: (e: {
      data: {
        ctl: SharedArrayBuffer;
        ring: SharedArrayBuffer;
        ringCtl: SharedArrayBuffer;
        wakeFd: number;
        inFlightLimit: number;
      };
    }) => void;
  };
  worker.onmessage = async ({ data }) => {
    const { dlopen, FFIType, ptr } = await import("bun:ffi");
    const libc = dlopen("libc.so.6", {
      epoll_create1: { args: [FFIType.i32], returns: FFIType.i32 },
      epoll_ctl: { args: [FFIType.i32, FFIType.i32, FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
      epoll_wait: { args: [FFIType.i32, FFIType.ptr, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
      poll: { args: [FFIType.ptr, FFIType.u64, FFIType.i32], returns: FFIType.i32 },
      read: { args: [FFIType.i32, FFIType.ptr, FFIType.u64], returns: FFIType.i64 },
      close: { args: [FFIType.i32], returns: FFIType.i32 },
    }).symbols;
    const ctl = new Int32Array(data.ctl);
    const slots = ctl.length / 3;
    const ring8 = new Uint8Array(data.ring);
    const ring32 = new Int32Array(data.ring);
    const size = ring8.length;
    const rc = new Int32Array(data.ringCtl);
    const wake = new BigUint64Array(1);
    const ep = libc.epoll_create1(0o2000000);
    if (ep < 0) throw new Error("epoll_create1 failed");
    const one = new Int32Array(4);
    const watch = (op: number, fd: number, tag: number) => {
      one[0] = EPOLLIN;
      one[1] = tag;
      one[2] = 0;
      libc.epoll_ctl(ep, op, fd, ptr(one));
    };
    watch(EPOLL_CTL_ADD, data.wakeFd, -1);
    const events = new Int32Array(STRIDE * MAX_EVENTS);
    const armed = new Uint8Array(slots);
    const arm = (s: number, on: boolean) => {
      if (armed[s] === (on ? 1 : 0)) return;
      armed[s] = on ? 1 : 0;
      watch(on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, ctl[3 * s]!, s);
    };

    let w = Atomics.load(rc, W);
    /** Set when a wake-up was consumed: the slots' states are matched to the epoll set before the next wait. */
    let changed = false;
    /** Bytes (header included, a multiple of 8) that may be written contiguously at w; wraps first if worth it. */
    const room = (): number => {
      const r = Atomics.load(rc, R);
      if (r > w) return r - 8 - w;
      const atEnd = size - w - (r === 0 ? 8 : 0);
      if (atEnd >= 8 + MIN_ROOM || r === 0 || r - 8 < atEnd) return atEnd;
      ring32[w >> 2] = WRAP;
      w = 0;
      Atomics.store(rc, W, 0);
      return r - 8;
    };
    const publish = (next: number) => {
      w = next === size ? 0 : next;
      Atomics.store(rc, W, w);
      Atomics.add(rc, SEQ, 1);
      Atomics.notify(rc, SEQ);
    };
    const waitForRoom = (need: number) => {
      while (room() < need) {
        Atomics.store(rc, WAITING, 1);
        if (room() < need) {
          const pfd = new Int32Array([data.wakeFd, EPOLLIN]);
          libc.poll(ptr(pfd), 1, -1);
          libc.read(data.wakeFd, ptr(wake), 8);
          changed = true;
        }
        Atomics.store(rc, WAITING, 0);
      }
    };
    const control = (s: number, kind: number) => {
      waitForRoom(8);
      ring32[w >> 2] = s;
      ring32[(w >> 2) + 1] = kind;
      publish(w + 8);
    };
    /** Matches the epoll set to the slots' states; closes the masters the main thread asked to close. */
    const sync = () => {
      for (let s = 0; s < slots; s++) {
        const state = Atomics.load(ctl, 3 * s + 1);
        if (state === FREE) continue;
        if (state === CLOSE) {
          arm(s, false);
          libc.close(ctl[3 * s]!);
          Atomics.store(ctl, 3 * s + 1, FREE);
          control(s, CLOSED);
        } else arm(s, state === READING && Atomics.load(ctl, 3 * s + 2) < data.inFlightLimit);
      }
    };
    /** Reads what master `s` has (up to BATCH) into one record; EOF once it only hangs up. */
    const drainMaster = (s: number, revents: number) => {
      waitForRoom(8 + MIN_ROOM);
      const fd = ctl[3 * s]!;
      const cap = Math.min(BATCH, room() - 8);
      let got = 0;
      while (got < cap && Atomics.load(ctl, 3 * s + 1) === READING) {
        const n = Number(libc.read(fd, ptr(ring8, w + 8 + got), cap - got));
        if (n <= 0) break;
        got += n;
      }
      if (got > 0) {
        ring32[w >> 2] = s;
        ring32[(w >> 2) + 1] = got;
        if (Atomics.add(ctl, 3 * s + 2, got) + got >= data.inFlightLimit) arm(s, false);
        publish(w + 8 + ((got + 7) & ~7));
      } else if (revents & (EPOLLHUP | EPOLLERR)) {
        Atomics.store(ctl, 3 * s + 1, PAUSED); // EIO: every slave fd is closed; stop waiting on it until closed
        arm(s, false);
        control(s, EOF);
      }
    };

    for (;;) {
      const n = libc.epoll_wait(ep, ptr(events), MAX_EVENTS, -1);
      for (let i = 0; i < n; i++) {
        const revents = events[STRIDE * i]!,
          tag = events[STRIDE * i + 1]!;
        if (tag === -1) {
          libc.read(data.wakeFd, ptr(wake), 8);
          changed = true;
        } else if (armed[tag] && Atomics.load(ctl, 3 * tag + 1) === READING) drainMaster(tag, revents);
      }
      if (changed) {
        changed = false;
        sync();
      }
    }
  };
}
