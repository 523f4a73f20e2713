// How soon a 50 MB job log's page is interactive in Chromium: the page's own clock from navigation start until a
// section has been toggled and laid out (the tail is rendered first; earlier parts load on demand).
import { launchBrowser, signIn } from "../test/support/browser.ts";
import { jobWithHugeLog } from "../test/support/huge-log.ts";
import { startTestPorthole } from "../test/support/porthole.ts";
import { median, round } from "./lib/stats.ts";
import type { Bench } from "./lib/types.ts";

const LOG_BYTES = 50 * 1024 * 1024;
const LOADS = 5;

const bench: Bench = {
  name: "large-log",
  description: `Job page of a finished job with a ${LOG_BYTES / 2 ** 20} MB log: time to interactive in headless Chromium (${LOADS} loads)`,
  async run() {
    const t = await startTestPorthole({ runner: { enabled: false } });
    const browser = await launchBrowser();
    try {
      const { url, user } = await jobWithHugeLog(t, LOG_BYTES);
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
      await signIn(page, t.url, user);
      const samples: number[] = [];
      for (let i = 0; i < LOADS; i++) {
        await page.goto(url, { waitUntil: "load" });
        const at = await page.evaluate(() => {
          const sections = document.querySelectorAll<HTMLDetailsElement>('details.sec[data-section="step_script"]');
          const section = [...sections].at(-1);
          if (!section) return -1;
          section.querySelector("summary")!.click();
          void document.body.offsetHeight;
          const toggledAt = performance.now();
          section.querySelector("summary")!.click();
          return section.open ? toggledAt : -1;
        });
        if (at < 0) throw new Error("the job page has no step_script section to toggle");
        samples.push(at);
      }
      return {
        metrics: [
          { name: "interactive, median", value: round(median(samples)), unit: "ms", target: { below: 2000 } },
          { name: "interactive, slowest", value: round(Math.max(...samples)), unit: "ms" },
        ],
        notes: [
          "From navigation start (performance.now() in the page) until the step_script section was closed and reopened.",
          "The functional checks (tail first, Load earlier joins up) are in test/browser/large-log.test.ts.",
        ],
      };
    } finally {
      await browser.close();
      await t.stop();
    }
  },
};

export default bench;
