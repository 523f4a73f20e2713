// A porthole.terminal.v1 bench client (acknowledging output as the page and CLI do): throughput of a `cat` and
// keystroke echo latency, shared by the terminal benches.

/** Typed first and not counted: the first keys pay for JIT warm-up in every process on the path. */
export const WARMUP_KEYS = 50;

export type BenchTerminal = Awaited<ReturnType<typeof connectTerminal>>;

/** Opens `<base><jobPath>/terminal.ws?flow=ack` with an API token and waits for the shell's first prompt. */
export async function connectTerminal(base: { url: string; token: string }, jobPath: string) {
  const ws = new WebSocket(`${base.url.replace("http", "ws")}${jobPath}/terminal.ws?flow=ack`, {
    protocols: ["porthole.terminal.v1"],
    headers: { "PRIVATE-TOKEN": base.token },
    perMessageDeflate: false, // negotiated or not, porthole sends terminal output uncompressed
  } as unknown as string[]);
  ws.binaryType = "arraybuffer";
  let received = 0;
  let tail = "";
  let waiter: { pattern: string; resolve: () => void } | null = null;
  ws.onmessage = ({ data }) => {
    if (typeof data === "string") return;
    const bytes = new Uint8Array(data as ArrayBuffer);
    received += bytes.length;
    ws.send(`{"type":"ack","bytes":${received}}`);
    // Enough of the end to hold a marker followed by a long prompt (a job's shell shows its whole build dir).
    tail = (tail + Buffer.from(bytes.subarray(-512)).toString("latin1")).slice(-1024);
    if (waiter && tail.includes(waiter.pattern)) {
      const w = waiter;
      waiter = null;
      tail = "";
      w.resolve();
    }
  };
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const until = (pattern: string) => new Promise<void>((resolve) => (waiter = { pattern, resolve }));
  const type = (text: string) => ws.send(new TextEncoder().encode(text));
  await Bun.sleep(300); // the shell's first prompt
  return { ws, until, type, received: () => received };
}

/** MB/s of `command`'s output (`bytes` of it), which must end by printing `marker` (spelled so its echo does not). */
export async function terminalMBps(term: BenchTerminal, command: string, marker: string, bytes: number) {
  const done = term.until(marker);
  const started = performance.now();
  term.type(`${command}\r`);
  await done;
  return bytes / 1e3 / (performance.now() - started);
}

/** Puts the terminal's tty in raw mode under a `cat > /dev/null`: from then on each key comes back as the kernel's echo. */
export async function startRawEcho(term: BenchTerminal): Promise<void> {
  term.type("stty raw; cat > /dev/null\r");
  await Bun.sleep(300);
}

/** Milliseconds from sending `key` to its echo, through the whole server path. */
export async function echoMs(term: BenchTerminal, key: string): Promise<number> {
  const echoed = term.until(key);
  const sent = performance.now();
  term.type(key);
  await echoed;
  return performance.now() - sent;
}

/** The key for sample `i`: a-z in turn. */
export const echoKey = (i: number) => String.fromCharCode(97 + (i % 26));

/** Kernel echo in raw mode: `keys` samples, 5 ms apart, after WARMUP_KEYS not counted; ^D ends the `cat`. */
export async function echoLatencies(term: BenchTerminal, keys: number): Promise<number[]> {
  await startRawEcho(term);
  const samples: number[] = [];
  for (let i = -WARMUP_KEYS; i < keys; i++) {
    const ms = await echoMs(term, echoKey(i + WARMUP_KEYS));
    if (i >= 0) samples.push(ms);
    await Bun.sleep(5);
  }
  term.type("\x04");
  return samples;
}
