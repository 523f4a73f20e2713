import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTraceStore } from "../../../logs/trace-store.ts";
import { openStore } from "../../../store/db.ts";
import { insertTestJob, insertTestPipeline } from "../../../store/store.testing.ts";
import { LogRenderer } from "./log-renderer.ts";
import { type LogSearchPage, searchLog } from "./log-search.ts";

const E = "\x1b";

function jobLog(text: string) {
  const store = openStore(join(mkdtempSync(join(tmpdir(), "log-search-")), "p.db"));
  const project = store.repos.projects.insert({ name: "p", path: "p", namespace: "n" });
  const job = insertTestJob(store.repos, insertTestPipeline(store.repos, project.id));
  const traces = createTraceStore(store.db);
  traces.append(job.id, new TextEncoder().encode(text));
  traces.finish(job.id);
  return { traces, jobId: job.id };
}

/** The page's numbers of the lines whose shown text contains `needle` (what a reader would count on the page). */
function pageNumbers(text: string, needle: string): number[] {
  const r = new LogRenderer();
  const ops = [...r.feed(text), ...r.flush()];
  return ops.flatMap((op) => {
    const html = op.op === "line" ? op.html : op.op === "open" ? op.head : "";
    const shown = html.replace(/<[^>]*>/g, "").replace(/&amp;/g, "&");
    const n = html.match(/data-n="(\d+)"/)?.[1];
    return n && shown.toLowerCase().includes(needle.toLowerCase()) ? [Number(n)] : [];
  });
}

const LOG =
  `${E}[0Ksection_start:1700000000:prepare\r${E}[0K${E}[36;1mPreparing the Needle${E}[0;m\n` +
  "plain needle line\r\n" +
  `${E}[0Ksection_end:1700000001:prepare\r${E}[0K\n` +
  `${E}[32;1m$ make ne${E}[1medle${E}[0;m\n` +
  "progress 10%\rprogress needle 100%\n" +
  "gr\u00fc\u00dfe aus der N\u00e4he: needle & thread\n" +
  "no match here\n";

test("matches carry the page's line numbers, through sections, colours, carriage returns and UTF-8", () => {
  const { traces, jobId } = jobLog(LOG);
  const found = searchLog(traces, jobId, "NEEDLE", null)!;
  expect(found.matches.map((m) => m.line)).toEqual(pageNumbers(LOG, "needle"));
  expect(found.matches.map((m) => m.text)).toEqual([
    "Preparing the Needle",
    "plain needle line",
    "$ make needle",
    "progress needle 100%",
    "grüße aus der Nähe: needle & thread",
  ]);
  expect(found.next).toBeNull();
  // The offset is the line's first byte: reading from it gives the line.
  const last = found.matches.at(-1)!;
  expect(new TextDecoder().decode(traces.read(jobId, last.offset, 6))).toBe("grüß");
  expect(searchLog(traces, jobId, "nähe", null)!.matches.map((m) => m.line)).toEqual([last.line]);
});

test("a big log is searched a page of matches at a time, the token going on where the page stopped", () => {
  const lines = Array.from({ length: 60_000 }, (_, i) =>
    i % 1000 === 7 ? `found marker ${i}` : `filler line ${i} ${"x".repeat(40)}`,
  );
  const text = `${lines.join("\n")}\n`;
  const { traces, jobId } = jobLog(text);
  // No time budget here (a loaded machine would stop a page early): pages end at the limit.
  const first = searchLog(traces, jobId, "found marker", null, 25, Number.POSITIVE_INFINITY)!;
  expect(first.matches).toHaveLength(25);
  expect(first.next).not.toBeNull();
  expect(first.searched).toBeLessThan(first.size);
  const all = [...first.matches];
  let next = first.next;
  while (next) {
    const page = searchLog(traces, jobId, "found marker", next, 100, Number.POSITIVE_INFINITY)!;
    all.push(...page.matches);
    next = page.next;
  }
  expect(all.map((m) => m.line)).toEqual(Array.from({ length: 60 }, (_, i) => i * 1000 + 8));
  expect(all.at(-1)!.text).toBe("found marker 59007");
  expect(searchLog(traces, jobId, "x", "not-a-token")).toBeNull();
});

test("a call whose time budget is spent answers what it found with a token, and the calls together find every match", () => {
  const lines = Array.from({ length: 60_000 }, (_, i) => (i % 1000 === 7 ? `found marker ${i}` : `filler ${i}`));
  const { traces, jobId } = jobLog(`${lines.join("\n")}\n`);
  const pages: LogSearchPage[] = [];
  let next: string | null = null;
  do {
    const page: LogSearchPage = searchLog(traces, jobId, "found marker", next, 100, 0)!;
    pages.push(page);
    next = page.next;
  } while (next && pages.length < 10_000);
  expect(pages.length).toBeGreaterThan(1); // a budget of 0 ends each call after one read of the log
  expect(pages.flatMap((p) => p.matches.map((m) => m.line))).toEqual(
    Array.from({ length: 60 }, (_, i) => i * 1000 + 8),
  );
});
