// `coverage: /regex/`: the job's coverage from its log, as GitLab reads it, stored when the job finishes.
import { RE2JS } from "re2js";
import type { QueueContext } from "./context.ts";

/** How much of the log's end is searched (a coverage line comes near the end). */
const SEARCH_BYTES = 4 * 1024 * 1024;
const ANSI = /\x1b\[[0-9;]*[A-Za-z]|\r/g;
const NUMBER = /\d+(?:\.\d+)?/;

/**
 * The last line `pattern` (RE2, without the slashes) matches decides; the coverage is the first number in the
 * matched text. null when nothing matches.
 */
export function coverageFromLog(log: string, pattern: string): number | null {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch {
    return null;
  }
  const lines = log.replace(ANSI, "").split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = re.matcher(lines[i]!);
    if (!m.find()) continue;
    const number = NUMBER.exec(m.group() ?? "");
    if (number) return Number.parseFloat(number[0]);
  }
  return null;
}

/** Reads and stores the finished job's coverage, when its spec has a `coverage` regex. */
export function recordCoverage(q: QueueContext, jobId: number): void {
  const job = q.repos.jobs.findById(jobId);
  if (!job?.spec.coverage) return;
  const size = q.traces.size(jobId);
  const from = Math.max(0, size - SEARCH_BYTES);
  const log = new TextDecoder().decode(q.traces.read(jobId, from));
  const coverage = coverageFromLog(log, job.spec.coverage);
  if (coverage !== null) q.repos.jobs.update(jobId, { coverage });
}
