// The pipeline status and coverage badges (`/<namespace>/<project>/badges/<ref>/{pipeline,coverage}.svg`), for READMEs.
import { resolveProject } from "../../../auth/access.ts";
import type { JobStatus } from "../../../domain/status.ts";
import { latestCoverage } from "../../../store/coverage.ts";
import type { ProjectRow } from "../../../store/rows.ts";
import { latestPipelineForRef } from "../data/projects.ts";
import type { UiContext } from "../env.ts";
import type { PageRouter } from "../page-routes.ts";
import { statusLabel } from "../views/status.tsx";

const COLOURS: Partial<Record<JobStatus, string>> = {
  success: "#4c1",
  failed: "#e05d44",
  running: "#dfb317",
  pending: "#dfb317",
  scheduled: "#dfb317",
  manual: "#5a5a5a",
};

/** Text width in px for 11px Verdana, close enough for badge boxes (digits and lower case ~6.5px). */
const textWidth = (text: string) =>
  Math.round([...text].reduce((w, ch) => w + (/[A-Z#%@mw]/.test(ch) ? 8.5 : /[il.,:;|!' ]/.test(ch) ? 3.6 : 6.6), 0));

export function badgeSvg(label: string, value: string, colour: string): string {
  const lw = textWidth(label) + 12;
  const vw = textWidth(value) + 12;
  const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${lw + vw}" height="20" role="img" aria-label="${esc(label)}: ${esc(value)}">` +
    `<title>${esc(label)}: ${esc(value)}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>` +
    `<stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="${lw + vw}" height="20" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${vw}" height="20" fill="${colour}"/>` +
    `<rect width="${lw + vw}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">` +
    `<text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${esc(label)}</text><text x="${lw / 2}" y="14">${esc(label)}</text>` +
    `<text x="${lw + vw / 2}" y="15" fill="#010101" fill-opacity=".3">${esc(value)}</text><text x="${lw + vw / 2}" y="14">${esc(value)}</text></g></svg>`
  );
}

/** The route's project when the visitor may see its pipelines, else null (the badge then says `unknown`). */
function badgeProject(c: UiContext): ProjectRow | null {
  const [namespace, path] = [c.req.param("namespace") ?? "", c.req.param("project") ?? ""];
  const access = resolveProject(c.get("deps").store.db, c.get("actor"), `${namespace}/${path}`, "read_pipeline");
  return access.ok ? access.project : null;
}

/** The badge's status: the ref's latest pipeline, or `unknown` when there is none or the visitor may not see it. */
function badgeStatus(c: UiContext): JobStatus | null {
  const project = badgeProject(c);
  const ref = decodeURIComponent(c.req.param("ref") ?? "");
  return project ? (latestPipelineForRef(c.get("deps").store.db, project.id, ref)?.status ?? null) : null;
}

/** GitLab's coverage badge colours: red below 50, yellow below 75, green from 95, yellowgreen between. */
function coverageColour(value: number): string {
  if (value < 50) return "#e05d44";
  if (value < 75) return "#dfb317";
  if (value < 95) return "#a4a61d";
  return "#4c1";
}

export function addBadgeRoutes(r: PageRouter): void {
  r.get("/:namespace/:project/badges/:ref{.+}/coverage.svg", (c) => {
    const project = badgeProject(c);
    const ref = decodeURIComponent(c.req.param("ref") ?? "");
    const value = project ? latestCoverage(c.get("deps").store.db, project.id, ref, c.req.query("job")) : null;
    const svg =
      value === null
        ? badgeSvg("coverage", "unknown", "#9f9f9f")
        : badgeSvg("coverage", `${value.toFixed(2)}%`, coverageColour(value));
    return c.body(svg, 200, { "Content-Type": "image/svg+xml; charset=utf-8", "Cache-Control": "no-store" });
  });
  r.get("/:namespace/:project/badges/:ref{.+}/pipeline.svg", (c) => {
    const status = badgeStatus(c);
    const svg = badgeSvg(
      "pipeline",
      status ? statusLabel(status) : "unknown",
      (status && COLOURS[status]) ?? "#9f9f9f",
    );
    return c.body(svg, 200, { "Content-Type": "image/svg+xml; charset=utf-8", "Cache-Control": "no-store" });
  });
}
