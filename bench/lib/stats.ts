// Order statistics for benchmark samples.

/** The p-th percentile (0–100) by nearest rank; throws on an empty sample. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) throw new Error("percentile of no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export const median = (samples: number[]) => percentile(samples, 50);

/** Rounds to `digits` decimals for reports. */
export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
