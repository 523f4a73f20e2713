// The PTY reader thread: poll()s every active master and reads it; a paused master is left unread (see master-reader.ts).

/**
 * Runs inside a Worker built from this function's source, so it must not reference anything outside itself.
 * Control comes through a SharedArrayBuffer (`ctl`): slot i holds [fd, state, inFlight] with state 0 free,
 * 1 reading, 2 paused, 3 close requested, and inFlight the bytes posted that the main thread has not taken yet:
 * past `inFlightLimit` the master is left unread too, so a busy main thread cannot make output pile up in messages.
 * `wakeFd` (an eventfd) interrupts poll() after the main thread changed a slot or took posted bytes.
 * Posts {slot, bytes} for output, {slot, eof: true} when the slave side is gone, {slot, closed: true} once it
 * closed a master on request (the main thread never closes a master the worker may be polling).
 */
export function masterReaderWorker(): void {
  const FREE = 0,
    READING = 1,
    CLOSE = 3;
  const POLLIN = 0x1,
    POLLERR = 0x8,
    POLLHUP = 0x10;
  const BATCH = 256 * 1024;
  const worker = globalThis as unknown as {
    onmessage: (e: { data: { ctl: SharedArrayBuffer; wakeFd: number; inFlightLimit: number } }) => void;
    postMessage(m: unknown, t?: unknown[]): void;
  };
  worker.onmessage = async ({ data }) => {
    const { dlopen, FFIType, ptr } = await import("bun:ffi");
    const libc = dlopen("libc.so.6", {
      poll: { args: [FFIType.ptr, FFIType.u64, FFIType.i32], returns: FFIType.i32 },
      read: { args: [FFIType.i32, FFIType.ptr, FFIType.u64], returns: FFIType.i64 },
      close: { args: [FFIType.i32], returns: FFIType.i32 },
    }).symbols;
    const ctl = new Int32Array(data.ctl);
    const slots = ctl.length / 3;
    const wake = new BigUint64Array(1);
    let pollfds = new Int32Array(2 * 64);
    const slotOf: number[] = [];
    const buf = new Uint8Array(BATCH); // reused: a keystroke's echo must not cost a 256 KB allocation
    for (;;) {
      let n = 1;
      pollfds[0] = data.wakeFd;
      pollfds[1] = POLLIN;
      for (let s = 0; s < slots; s++) {
        const fd = ctl[3 * s]!,
          state = ctl[3 * s + 1]!;
        if (state === CLOSE) {
          libc.close(fd);
          Atomics.store(ctl, 3 * s + 1, FREE);
          worker.postMessage({ slot: s, closed: true });
        } else if (state === READING && Atomics.load(ctl, 3 * s + 2) < data.inFlightLimit) {
          if (2 * n + 2 > pollfds.length)
            pollfds = Int32Array.from({ length: pollfds.length * 2 }, (_, i) => pollfds[i] ?? 0);
          pollfds[2 * n] = fd;
          pollfds[2 * n + 1] = POLLIN;
          slotOf[n++] = s;
        }
      }
      libc.poll(ptr(pollfds), n, -1);
      if (pollfds[1]! >>> 16) libc.read(data.wakeFd, ptr(wake), 8);
      for (let i = 1; i < n; i++) {
        const revents = pollfds[2 * i + 1]! >>> 16;
        if (!revents) continue;
        const s = slotOf[i]!,
          fd = pollfds[2 * i]!;
        let got = 0;
        while (got < BATCH && Atomics.load(ctl, 3 * s + 1) === READING) {
          const r = Number(libc.read(fd, ptr(buf, got), BATCH - got));
          if (r <= 0) break;
          got += r;
        }
        if (got > 0) {
          const bytes = buf.slice(0, got);
          Atomics.add(ctl, 3 * s + 2, got);
          worker.postMessage({ slot: s, bytes }, [bytes.buffer]);
        } else if (revents & (POLLHUP | POLLERR)) {
          Atomics.store(ctl, 3 * s + 1, 2); // EIO: every slave fd is closed; stop polling until closed
          worker.postMessage({ slot: s, eof: true });
        }
      }
    }
  };
}
