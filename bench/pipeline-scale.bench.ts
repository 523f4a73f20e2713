// Pipelines at the job limit (1,000, and 10,000 with the limit raised): creation time and how long other requests
// wait meanwhile, a page of the jobs API, and the pipeline page's first byte and time to interactive in Chromium.
import type { Page } from "playwright-core";
import { findUserByLogin } from "../src/auth/users.ts";
import { createProject } from "../src/queue/project-changes.ts";
import { launchBrowser, makeUser, signIn } from "../test/support/browser.ts";
import { startTestPorthole, type TestPorthole } from "../test/support/porthole.ts";
import { round } from "./lib/stats.ts";
import type { Bench, Metric } from "./lib/types.ts";

const SIZES = [1000, 10_000];
const CREATES = 3;
const LOADS = 5;
const STAGES = 10;

/** `n` jobs in ten equal stages; each job after the first stage needs the job in its place in the stage before. */
function ciFile(n: number): string {
  const stages = Array.from({ length: STAGES }, (_, s) => `s${s}`);
  const perStage = n / STAGES;
  const jobs = Array.from({ length: n }, (_, i) => {
    const need = i >= perStage ? `  needs: [job-${i - perStage}]\n` : "";
    return `job-${i}:\n  stage: s${Math.floor(i / perStage)}\n${need}  script: [echo ok]\n`;
  });
  return `stages: [${stages.join(", ")}]\n${jobs.join("")}`;
}

interface Load {
  ttfb: number;
  interactive: number;
  htmlBytes: number;
}

/**
 * Loads `url` and answers the page's own clock (ms from navigation start): the first byte of the HTML, and the first
 * animation frame after the load event in which `ready` holds (checked every frame, no sleeps).
 */
async function load(page: Page, url: string, ready: string): Promise<Load> {
  await page.goto(url, { waitUntil: "commit" });
  // A string is evaluated in the page as an expression: the readiness check is spliced in as source.
  const handle = await page.waitForFunction(
    `(() => {
      if (document.readyState !== "complete" || !(${ready})) return false;
      const [nav] = performance.getEntriesByType("navigation");
      return { ttfb: nav.responseStart, at: performance.now(), bytes: nav.decodedBodySize };
    })()`,
    undefined,
    { polling: "raf", timeout: 120_000 },
  );
  const { ttfb, at, bytes } = (await handle.jsonValue()) as { ttfb: number; at: number; bytes: number };
  return { ttfb, interactive: at, htmlBytes: bytes };
}

const range = (xs: number[]) => `${round(Math.min(...xs))}–${round(Math.max(...xs))}`;

function loadMetrics(what: string, loads: Load[]): Metric[] {
  const ttfb = loads.map((l) => l.ttfb);
  const tti = loads.map((l) => l.interactive);
  return [
    { name: `${what}: first byte, slowest`, value: round(Math.max(...ttfb)), unit: "ms" },
    { name: `${what}: interactive, slowest`, value: round(Math.max(...tti)), unit: "ms", target: { below: 2000 } },
    { name: `${what}: HTML`, value: round(loads[0]!.htmlBytes / 1024), unit: "KB" },
  ];
}

/** The graph is drawn (its job boxes and `needs` curves), the jobs table and its pager are there. */
const PIPELINE_READY =
  "document.querySelector('.graph .job-box') && document.querySelector('svg.needs path') && " +
  "document.querySelector('#jobs ~ .table-wrap table.list tbody tr') && document.querySelector('nav.pagination')";

async function createTimed(
  t: TestPorthole,
  projectId: number,
): Promise<{ ms: number; id: number; versionMax: number }> {
  let done = false;
  let versionMax = 0;
  const probe = (async () => {
    while (!done) {
      const at = performance.now();
      await fetch(`${t.url}/api/v4/version`, { headers: { "PRIVATE-TOKEN": t.rootToken } });
      versionMax = Math.max(versionMax, performance.now() - at);
    }
  })();
  const started = performance.now();
  const res = await t.api(`/projects/${projectId}/pipeline`, { method: "POST", json: { ref: "main" } });
  const ms = performance.now() - started;
  done = true;
  await probe;
  if (res.status !== 201) throw new Error(`creating the pipeline: ${res.status} ${(await res.text()).slice(0, 300)}`);
  return { ms, id: ((await res.json()) as { id: number }).id, versionMax };
}

/** Fetches one page of 100 jobs; throws unless it holds 100 jobs and GitLab's pagination headers say so. */
async function apiPageMs(t: TestPorthole, path: string, page: number, total: number): Promise<number> {
  const started = performance.now();
  const res = await t.api(`${path}&page=${page}`);
  const jobs = (await res.json()) as unknown[];
  const ms = performance.now() - started;
  const pages = total / 100;
  const want = {
    "x-page": String(page),
    "x-per-page": "100",
    "x-total": String(total),
    "x-total-pages": String(pages),
    "x-next-page": page < pages ? String(page + 1) : "",
  };
  const got = Object.fromEntries(Object.keys(want).map((k) => [k, res.headers.get(k)]));
  if (
    jobs.length !== 100 ||
    JSON.stringify(got) !== JSON.stringify(want) ||
    !res.headers.get("link")?.includes('rel="last"')
  )
    throw new Error(`${path} page ${page}: ${jobs.length} jobs, headers ${JSON.stringify(got)}`);
  return ms;
}

const bench: Bench = {
  name: "pipeline-scale",
  description: `Pipelines of ${SIZES.join(" and ")} jobs: creation, a page of the jobs API, the pipeline page in headless Chromium`,
  async run() {
    const t = await startTestPorthole({
      runner: { enabled: false },
      limits: { max_jobs_per_pipeline: Math.max(...SIZES) },
    });
    const browser = await launchBrowser();
    const metrics: Metric[] = [];
    const notes: string[] = [];
    try {
      const user = await makeUser(t, "paula");
      const owner = findUserByLogin(t.porthole.store.db, user.username)!;
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
      await signIn(page, t.url, user);
      // The compile pool's workers start on first use: one small pipeline first, so the figures are of a warm server.
      await createTimed(t, createProject(t.porthole.store.db, owner, { name: "warm-up", ci_config: ciFile(10) }).id);
      for (const n of SIZES) {
        const project = createProject(t.porthole.store.db, owner, { name: `jobs-${n}`, ci_config: ciFile(n) });
        const creates = [];
        for (let i = 0; i < CREATES; i++) creates.push(await createTimed(t, project.id));
        const pipelineId = creates.at(-1)!.id;
        metrics.push(
          { name: `${n} jobs: create, slowest`, value: round(Math.max(...creates.map((c) => c.ms))), unit: "ms" },
          {
            name: `${n} jobs: GET /version during create, slowest`,
            value: round(Math.max(...creates.map((c) => c.versionMax))),
            unit: "ms",
          },
        );
        notes.push(`${n} jobs: create ${range(creates.map((c) => c.ms))} ms over ${CREATES} pipelines`);
        const jobsPath = `/projects/${project.id}/pipelines/${pipelineId}/jobs?per_page=100`;
        const api: number[] = [];
        for (let i = 0; i < LOADS; i++) {
          api.push(await apiPageMs(t, jobsPath, 1, n));
          api.push(await apiPageMs(t, jobsPath, n / 100, n));
        }
        metrics.push({ name: `${n} jobs: jobs API page of 100, slowest`, value: round(Math.max(...api)), unit: "ms" });
        const url = `${t.url}/${user.username}/${project.path}/-/pipelines/${pipelineId}`;
        const loads: Load[] = [];
        for (let i = 0; i < LOADS; i++) loads.push(await load(page, url, PIPELINE_READY));
        metrics.push(...loadMetrics(`${n} jobs: pipeline page`, loads));
        notes.push(
          `${n} jobs: pipeline page first byte ${range(loads.map((l) => l.ttfb))} ms, interactive ${range(loads.map((l) => l.interactive))} ms`,
        );
      }
      notes.push(
        `Interactive: the first animation frame after the load event in which the pipeline's graph (job boxes and needs curves), jobs table and pager are in the page. Read from the page's performance clock (navigation start = 0), checked every frame.`,
        `Server and bench in one process, runner off (jobs stay created/pending); ${LOADS} page loads and ${LOADS * 2} API pages (first and last) per size, ${CREATES} creations per size after a warm-up pipeline of 10 jobs. The machine is shared with other agents: figures are noisy.`,
      );
      return { metrics, notes };
    } finally {
      await browser.close();
      await t.stop();
    }
  },
};

export default bench;
