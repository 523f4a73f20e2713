// The heaviest pages in headless Chromium: a job page with a 50 MB log and a pipeline page at the job limit (1000
// jobs): time to first byte, DOMContentLoaded, load, and the first idle frame after load (time to interactive).
import { findUserByLogin } from "../src/auth/users.ts";
import { createProject } from "../src/queue/project-changes.ts";
import { launchBrowser, signIn } from "../test/support/browser.ts";
import { jobWithHugeLog } from "../test/support/huge-log.ts";
import { startTestPorthole } from "../test/support/porthole.ts";
import { median, round } from "./lib/stats.ts";
import type { Bench, Metric } from "./lib/types.ts";

const LOG_BYTES = 50 * 1024 * 1024;
const JOBS = 1000;
const LOADS = 5;

interface Load {
  ttfb: number;
  domContentLoaded: number;
  load: number;
  interactive: number;
  kb: number;
}

/** One navigation's timings (ms from navigation start, the page's own clock) and the HTML's size. */
async function measure(page: import("playwright-core").Page, url: string): Promise<Load> {
  await page.goto(url, { waitUntil: "load" });
  return page.evaluate(async () => {
    // The first frame after load in which the main thread got to run a task: scripts have settled by then.
    await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const interactive = performance.now();
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return {
      ttfb: nav.responseStart,
      domContentLoaded: nav.domContentLoadedEventEnd,
      load: nav.loadEventEnd,
      interactive,
      kb: nav.encodedBodySize / 1024,
    };
  });
}

function metricsOf(label: string, loads: Load[], interactiveTarget: number): Metric[] {
  const m = (key: keyof Load) => round(median(loads.map((l) => l[key])));
  return [
    { name: `${label}: time to first byte, median`, value: m("ttfb"), unit: "ms" },
    { name: `${label}: DOMContentLoaded, median`, value: m("domContentLoaded"), unit: "ms" },
    { name: `${label}: load, median`, value: m("load"), unit: "ms" },
    {
      name: `${label}: interactive (first idle frame after load), median`,
      value: m("interactive"),
      unit: "ms",
      target: { below: interactiveTarget },
    },
    {
      name: `${label}: interactive, slowest`,
      value: round(Math.max(...loads.map((l) => l.interactive))),
      unit: "ms",
    },
    { name: `${label}: HTML size`, value: m("kb"), unit: "KB" },
  ];
}

const bench: Bench = {
  name: "pages",
  description: `Job page with a ${LOG_BYTES / 2 ** 20} MB log and pipeline page with ${JOBS} jobs in headless Chromium: TTFB and time to interactive (${LOADS} loads each)`,
  async run() {
    const t = await startTestPorthole({ runner: { enabled: false } });
    const browser = await launchBrowser();
    try {
      const job = await jobWithHugeLog(t, LOG_BYTES);
      const jobs = Array.from(
        { length: JOBS },
        (_, i) => `job-${i}:\n  stage: ${i % 2 ? "two" : "one"}\n  script: [echo ${i}]\n  when: manual\n`,
      );
      const owner = findUserByLogin(t.porthole.store.db, job.user.username)!;
      const project = createProject(t.porthole.store.db, owner, {
        name: "wide",
        ci_config: `stages: [one, two]\n${jobs.join("")}`,
      });
      const created = await t.api(`/projects/${project.id}/pipeline`, { method: "POST", json: { ref: "main" } });
      if (!created.ok) throw new Error(`pipeline of ${JOBS} jobs: ${created.status} ${await created.text()}`);
      const pipeline = (await created.json()) as { id: number };
      const pipelineUrl = `${t.url}/${job.user.username}/wide/-/pipelines/${pipeline.id}`;

      const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
      await signIn(page, t.url, job.user);
      const jobLoads: Load[] = [];
      const pipelineLoads: Load[] = [];
      await measure(page, job.url); // warm-up: first-load costs (fonts, JIT) are not the page's
      await measure(page, pipelineUrl);
      for (let i = 0; i < LOADS; i++) {
        jobLoads.push(await measure(page, job.url));
        pipelineLoads.push(await measure(page, pipelineUrl));
      }
      return {
        metrics: [
          ...metricsOf(`job page, ${LOG_BYTES / 2 ** 20} MB log`, jobLoads, 2000),
          ...metricsOf(`pipeline page, ${JOBS} jobs`, pipelineLoads, 2000),
        ],
        notes: [
          "All times from navigation start by the page's own clock (Navigation Timing); the server runs in the bench process.",
          "interactive: the first requestAnimationFrame + setTimeout(0) after the load event, i.e. the page's scripts have run.",
          "Chromium: /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-background-networking (test/support/browser.ts).",
        ],
      };
    } finally {
      await browser.close();
      await t.stop();
    }
  },
};

export default bench;
