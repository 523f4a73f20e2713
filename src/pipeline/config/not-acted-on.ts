// Keywords the compiler accepts but porthole does not act on: never silent, each use is a warning in the lint
// result and in the log of every job of the pipeline (test: src/pipeline/keywords.test.ts).
import { type At, under } from "./check.ts";

export const NOT_ACTED_ON = "is accepted but not acted on";

/** Warns that `keyword` (under `a`'s location) is accepted but has no effect, and why. */
export function notActedOn(a: At, keyword: string, why: string): void {
  a.p.warn(`${under(a, keyword).where} ${NOT_ACTED_ON} (${why})`);
}
