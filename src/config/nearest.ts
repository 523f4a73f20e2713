// Finds the known name closest to a mistyped one, for "did you mean" hints (edit distance, small inputs only).

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The shortest candidate that starts with `name` (a name typed short), else the candidate within a third of
 * `name`'s length in edits, else undefined.
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  const extended = candidates.filter((c) => c.startsWith(name)).sort((a, b) => a.length - b.length)[0];
  if (extended !== undefined) return extended;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(name.length / 3)) ? best.name : undefined;
}
