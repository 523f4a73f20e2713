// The event loop's delay since the previous scrape of /-/metrics, from perf_hooks' histogram: how long the longest
// synchronous stretch kept every other request waiting.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Gauge, type Registry } from "prom-client";

const QUANTILES = [
  ["0.5", 50],
  ["0.99", 99],
  ["1", 100],
] as const;

/** `porthole_event_loop_delay_seconds{quantile}`: p50, p99 and max since the previous scrape (each scrape starts over). */
export function eventLoopDelayGauge(registers: Registry[]): { stop(): void } {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  new Gauge({
    name: "porthole_event_loop_delay_seconds",
    help: "Event-loop delay since the previous scrape (perf_hooks.monitorEventLoopDelay, 5 ms resolution)",
    labelNames: ["quantile"],
    registers,
    collect() {
      for (const [quantile, percentile] of QUANTILES) {
        const ns = percentile === 100 ? histogram.max : histogram.percentile(percentile);
        this.set({ quantile }, Number.isFinite(ns) ? ns / 1e9 : 0);
      }
      histogram.reset();
    },
  });
  return { stop: () => histogram.disable() };
}
