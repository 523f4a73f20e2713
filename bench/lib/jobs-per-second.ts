// Jobs per second of a project's pipelines: creates `pipelines` pipelines at once, waits for all to succeed, and
// divides their jobs by the time from the first create to the last pipeline's finished_at (server clock).
import type { BenchServer } from "./server.ts";

const FINISHED = new Set(["success", "failed", "canceled", "skipped"]);

interface PipelineJson {
  id: number;
  status: string;
  finished_at: string | null;
}

export async function jobsPerSecond(
  server: BenchServer,
  projectId: number,
  pipelines: number,
  jobsPerPipeline: number,
): Promise<{ jobsPerSecond: number; seconds: number }> {
  const started = Date.now();
  const ids: number[] = [];
  for (let i = 0; i < pipelines; i++)
    ids.push((await server.api<PipelineJson>("POST", `/projects/${projectId}/pipeline`, { ref: "main" })).id);
  let rows: PipelineJson[] = [];
  const deadline = started + 10 * 60_000;
  while (rows.length < pipelines || !rows.every((p) => FINISHED.has(p.status))) {
    if (Date.now() > deadline)
      throw new Error(`not finished after 10 min: ${JSON.stringify(rows.map((p) => p.status))}`);
    await Bun.sleep(100);
    rows = await Promise.all(
      ids.map((id) => server.api<PipelineJson>("GET", `/projects/${projectId}/pipelines/${id}`)),
    );
  }
  const failed = rows.filter((p) => p.status !== "success");
  if (failed.length > 0)
    throw new Error(`pipelines not successful: ${failed.map((p) => `${p.id} ${p.status}`).join(", ")}`);
  const lastFinished = Math.max(...rows.map((p) => Date.parse(p.finished_at ?? "")));
  const seconds = (lastFinished - started) / 1000;
  return { jobsPerSecond: (pipelines * jobsPerPipeline) / seconds, seconds };
}
