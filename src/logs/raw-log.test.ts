import { expect, test } from "bun:test";
import type { PlanJob } from "../pipeline/types.ts";
import { openStore } from "../store/db.ts";
import { rawLogStream } from "./raw-log.ts";
import { createTraceStore } from "./trace-store.ts";

function jobWithLog(bytes: Uint8Array) {
  const store = openStore(":memory:");
  const project = store.repos.projects.insert({ name: "p", path: "p", namespace: "n" });
  const pipeline = store.repos.pipelines.insert({
    projectId: project.id,
    iid: 1,
    ref: "main",
    sha: "x",
    source: "api",
    variables: [],
    yamlVariables: [],
  });
  const job = store.repos.jobs.insert({
    pipelineId: pipeline.id,
    projectId: project.id,
    name: "j",
    stage: "test",
    stageIdx: 0,
    spec: {} as PlanJob,
  });
  const traces = createTraceStore(store.db);
  traces.append(job.id, bytes);
  return { traces, jobId: job.id };
}

test("a log bigger than one part streams whole, in bounded parts, including bytes not yet flushed", async () => {
  const log = new Uint8Array(2.5 * 1024 * 1024).map((_, i) => i % 251);
  const { traces, jobId } = jobWithLog(log);
  const parts: Uint8Array[] = [];
  for await (const part of rawLogStream(traces, jobId)) parts.push(part);
  expect(parts.length).toBe(3);
  expect(Math.max(...parts.map((p) => p.length))).toBe(1024 * 1024);
  expect(Buffer.concat(parts).equals(Buffer.from(log))).toBe(true);
});

test("bytes appended after the stream began are left for the next read", async () => {
  const { traces, jobId } = jobWithLog(new TextEncoder().encode("first\n"));
  const stream = rawLogStream(traces, jobId);
  traces.append(jobId, new TextEncoder().encode("later\n"));
  expect(await new Response(stream).text()).toBe("first\n");
});
