// Job log search over a 50 MB stored log through the job page's search route, side by side with `grep -F -i -n`
// over the same log as a file: the whole log searched (no match), the first page of an early match, and the
// longest single call (the route answers within a time budget, so no call holds the event loop long).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWebSession } from "../src/auth/web-sessions.ts";
import { jobWithHugeLog } from "../test/support/huge-log.ts";
import { startTestPorthole } from "../test/support/porthole.ts";
import { median, round } from "./lib/stats.ts";
import type { Bench } from "./lib/types.ts";

const LOG_BYTES = 50 * 1024 * 1024;
const RUNS = 3;

interface Page {
  matches: unknown[];
  next: string | null;
}

const bench: Bench = {
  name: "log-search",
  description: `Job log search over a ${LOG_BYTES / 2 ** 20} MB log (the page's search route) vs grep -F -i -n on the same log as a file (${RUNS} runs)`,
  async run() {
    const t = await startTestPorthole({ runner: { enabled: false } });
    const dir = mkdtempSync(join(tmpdir(), "porthole-bench-log-search-"));
    try {
      const { url, user } = await jobWithHugeLog(t, LOG_BYTES);
      const id = t.porthole.store.repos.users.findByLogin(user.username)!.id;
      const cookie = `_porthole_session=${createWebSession(t.porthole.store.db, id, {}).cookieValue}`;
      const file = join(dir, "job.log");
      await Bun.write(file, await fetch(`${url}/raw`, { headers: { cookie } }));

      /** Follows `next` until the log is searched or `stopAfter` matches came; answers the time and the calls. */
      const search = async (q: string, stopAfter = Infinity) => {
        const started = performance.now();
        let from: string | null = null;
        let calls = 0;
        let longest = 0;
        let found = 0;
        do {
          const callStart = performance.now();
          const query: string = `q=${encodeURIComponent(q)}${from ? `&from=${encodeURIComponent(from)}` : ""}`;
          const res = await fetch(`${url}/log_search?${query}`, { headers: { cookie } });
          if (!res.ok) throw new Error(`log_search answered ${res.status}: ${await res.text()}`);
          const page = (await res.json()) as Page;
          longest = Math.max(longest, performance.now() - callStart);
          calls++;
          found += page.matches.length;
          from = page.next;
        } while (from && found < stopAfter);
        return { ms: performance.now() - started, calls, longest };
      };
      const grep = (q: string) => {
        const started = performance.now();
        Bun.spawnSync(["grep", "-F", "-i", "-n", "-c", q, file]);
        return performance.now() - started;
      };

      const whole = [];
      const grepWhole = [];
      const early = [];
      for (let i = 0; i < RUNS; i++) {
        whole.push(await search("no such line anywhere"));
        grepWhole.push(grep("no such line anywhere"));
        early.push((await search("make part-4", 1)).ms);
      }
      const wholeMs = median(whole.map((w) => w.ms));
      const grepMs = median(grepWhole);
      return {
        metrics: [
          { name: "whole log searched (no match), median", value: round(wholeMs), unit: "ms", target: { below: 2000 } },
          { name: "grep -F -i over the same file, median", value: round(grepMs), unit: "ms" },
          { name: "porthole / grep", value: round(wholeMs / grepMs), unit: "x" },
          { name: "calls for the whole log, median", value: median(whole.map((w) => w.calls)), unit: "calls" },
          { name: "longest single call", value: round(Math.max(...whole.map((w) => w.longest))), unit: "ms" },
          {
            name: "first match near the start, median",
            value: round(median(early)),
            unit: "ms",
            target: { below: 500 },
          },
        ],
        notes: [
          "The route searches the stored log half a megabyte at a time and answers after about 200 ms with a token to go on; the client follows it.",
          "Line numbers are the page's (sections and colours taken into account), which grep's are not.",
          "The functional checks are in test/browser/log-search.test.ts and src/http/ui/log/log-search.test.ts.",
        ],
      };
    } finally {
      await t.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
