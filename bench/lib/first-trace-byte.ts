// Waits for the first log byte of a pipeline's first job on the live SSE stream, then reads the stream to its end.
import type { BenchServer } from "./server.ts";
import { readSse } from "./sse.ts";

/** Milliseconds from `started` (a performance.now() reading) to the first `data` event of the job's log. */
export async function firstTraceByteMs(
  server: BenchServer,
  projectId: number,
  pipelineId: number,
  started: number,
): Promise<number> {
  const [job] = await server.api<{ id: number }[]>("GET", `/projects/${projectId}/pipelines/${pipelineId}/jobs`);
  if (!job) throw new Error(`pipeline ${pipelineId} has no job`);
  const path = `/api/v4/projects/${projectId}/jobs/${job.id}/trace/stream`;
  const response = await fetch(`${server.url}${path}`, {
    headers: { "PRIVATE-TOKEN": server.token, Accept: "text/event-stream" },
  });
  if (!response.ok || !response.body) throw new Error(`GET ${path}: ${response.status}`);
  let firstByteMs: number | undefined;
  // Read to the end (`end` closes the stream when the job has finished), so runs never overlap.
  for await (const event of readSse(response.body)) {
    // `data` events carry log bytes (base64).
    if (firstByteMs === undefined && event.event === "data" && event.data.length > 0)
      firstByteMs = performance.now() - started;
  }
  if (firstByteMs === undefined) throw new Error(`job ${job.id}: the stream ended without log bytes`);
  return firstByteMs;
}
