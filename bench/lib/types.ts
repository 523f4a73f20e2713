// The shape every bench/*.bench.ts exports (as default) and bench/run.ts collects into bench/results/.

/** One measured figure, with the target it is held to when there is one. */
export interface Metric {
  name: string;
  value: number;
  unit: string;
  /** `{ below: 300 }` or `{ above: 50 }`: the figure passes when on that side of the number. */
  target?: { below: number } | { above: number };
}

export interface BenchResult {
  metrics: Metric[];
  /** Conditions worth knowing when reading the figures (sizes, counts, what was compared). */
  notes?: string[];
}

/**
 * A benchmark: `run` starts whatever it needs, measures, and stops everything it started before returning
 * (also when it throws). It may take minutes; it must only talk to loopback.
 */
export interface Bench {
  name: string;
  description: string;
  run(): Promise<BenchResult>;
}

export function meetsTarget(metric: Metric): boolean | undefined {
  if (!metric.target) return undefined;
  return "below" in metric.target ? metric.value < metric.target.below : metric.value > metric.target.above;
}
