// Where each job box sits in the pipeline graph, and the SVG paths for `needs`. Sizes match pipeline-graph.css.
import type { JobRow } from "../../../store/rows.ts";

export const GRAPH = { columnWidth: 210, columnGap: 56, headerHeight: 30, boxHeight: 42, boxGap: 10 } as const;
/** Job boxes drawn per stage; the rest of a large stage is one "more" box (the jobs table lists them all). */
export const GRAPH_JOBS_PER_STAGE = 20;

export interface GraphStage {
  name: string;
  /** The jobs drawn, at most GRAPH_JOBS_PER_STAGE. */
  jobs: JobRow[];
  /** All the stage's jobs, for its status. */
  all: JobRow[];
  /** How many jobs are not drawn. */
  hidden: number;
}

export interface GraphLayout {
  stages: GraphStage[];
  width: number;
  height: number;
  /** One SVG path per `needs` edge (from the needed job's right edge to the needing job's left edge). */
  links: { from: number; to: number; d: string }[];
}

/** Lays out the current jobs in stage columns (stage order, then job order) and routes the `needs` edges. */
export function layoutGraph(jobs: JobRow[]): GraphLayout {
  const stages: GraphStage[] = [];
  for (const job of [...jobs].sort((a, b) => a.stageIdx - b.stageIdx || a.id - b.id)) {
    const last = stages[stages.length - 1];
    if (last && last.name === job.stage) last.all.push(job);
    else stages.push({ name: job.stage, jobs: [], all: [job], hidden: 0 });
  }
  for (const stage of stages) {
    stage.jobs = stage.all.slice(0, GRAPH_JOBS_PER_STAGE);
    stage.hidden = stage.all.length - stage.jobs.length;
  }
  const place = new Map<number, { col: number; row: number }>();
  for (const [col, s] of stages.entries()) for (const [row, j] of s.jobs.entries()) place.set(j.id, { col, row });
  const x = (col: number) => col * (GRAPH.columnWidth + GRAPH.columnGap);
  const midY = (row: number) => GRAPH.headerHeight + row * (GRAPH.boxHeight + GRAPH.boxGap) + GRAPH.boxHeight / 2;
  const links: GraphLayout["links"] = [];
  const drawn = stages.flatMap((s) => s.jobs);
  for (const job of drawn) {
    const to = place.get(job.id)!;
    for (const need of job.spec.needs ?? []) {
      for (const needed of drawn.filter((j) => j.spec.baseName === need.job)) {
        const from = place.get(needed.id)!;
        const [y1, y2] = [midY(from.row), midY(to.row)];
        let d: string;
        if (from.col < to.col) {
          const [x1, x2] = [x(from.col) + GRAPH.columnWidth, x(to.col)];
          const bend = Math.min(40, (x2 - x1) / 2);
          d = `M${x1} ${y1}C${x1 + bend} ${y1},${x2 - bend} ${y2},${x2} ${y2}`;
        } else {
          const x0 = x(to.col);
          d = `M${x0} ${y1}C${x0 - 22} ${y1},${x0 - 22} ${y2},${x0} ${y2}`;
        }
        links.push({ from: needed.id, to: job.id, d });
      }
    }
  }
  const rows = Math.max(0, ...stages.map((s) => s.jobs.length + (s.hidden > 0 ? 1 : 0)));
  return {
    stages,
    links,
    width: Math.max(0, stages.length * GRAPH.columnWidth + (stages.length - 1) * GRAPH.columnGap),
    height: GRAPH.headerHeight + rows * GRAPH.boxHeight + Math.max(0, rows - 1) * GRAPH.boxGap,
  };
}
