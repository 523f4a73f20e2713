// How long GET /api/v4/version takes while a bench loads the server: the "no request waits behind another" probe.
import type { BenchServer } from "./server.ts";

/** One GET /api/v4/version with root's token, read to the end: its time in ms. */
export async function timeVersion(server: BenchServer): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${server.url}/api/v4/version`, { headers: { "PRIVATE-TOKEN": server.token } });
  await res.arrayBuffer();
  return performance.now() - started;
}

/** /version latencies (ms), one request after another with `gapMs` between, for `windowMs`. */
export async function sampleVersion(server: BenchServer, windowMs: number, gapMs: number): Promise<number[]> {
  const version: number[] = [];
  const until = performance.now() + windowMs;
  while (performance.now() < until) {
    version.push(await timeVersion(server));
    await Bun.sleep(gapMs);
  }
  return version;
}
