import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../store/db.ts";
import { createTraceStore } from "./trace-store.ts";

function setup(path = join(mkdtempSync(join(tmpdir(), "trace-")), "p.db")) {
  const store = openStore(path);
  const { repos } = store;
  const project = repos.projects.insert({ name: "p", path: "p", namespace: "n" });
  const pipeline = repos.pipelines.insert({
    projectId: project.id,
    iid: 1,
    ref: "main",
    sha: "x",
    source: "api",
    variables: [],
    yamlVariables: [],
  });
  const job = repos.jobs.insert({
    pipelineId: pipeline.id,
    projectId: project.id,
    name: "j",
    stage: "test",
    stageIdx: 0,
    spec: {} as never,
  });
  return { store, path, jobId: job.id, traces: createTraceStore(store.db) };
}

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

test("appended bytes are readable at once, in ranges, and survive a reopen of the database file", () => {
  const { store, path, jobId, traces } = setup();
  traces.append(jobId, enc("hello "));
  traces.append(jobId, enc("world\n"));
  expect(dec(traces.read(jobId))).toBe("hello world\n");
  expect(dec(traces.read(jobId, 6, 5))).toBe("world");
  traces.finish(jobId);
  store.close();
  const reopened = openStore(path);
  const again = createTraceStore(reopened.db);
  expect(dec(again.read(jobId))).toBe("hello world\n");
  expect(again.size(jobId)).toBe(12);
});

test("a follower gets the backlog, then live bytes in order, then the end", () => {
  const { jobId, traces } = setup();
  traces.append(jobId, enc("one\n"));
  const got: string[] = [];
  let ended = false;
  traces.follow(jobId, 0, true, { data: (b) => got.push(dec(b)), end: () => (ended = true) });
  traces.append(jobId, enc("two\n"));
  expect(got.join("")).toBe("one\ntwo\n");
  expect(ended).toBe(false);
  traces.finish(jobId);
  expect(ended).toBe(true);
});

test("binary bytes and large logs come back byte for byte", () => {
  const { jobId, traces } = setup();
  const big = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);
  for (let i = 0; i < big.length; i += 10_000) traces.append(jobId, big.subarray(i, i + 10_000));
  traces.finish(jobId);
  expect(Buffer.compare(Buffer.from(traces.read(jobId)), Buffer.from(big))).toBe(0);
  expect(
    Buffer.compare(Buffer.from(traces.read(jobId, 123_456, 1000)), Buffer.from(big.subarray(123_456, 124_456))),
  ).toBe(0);
});

test("following a job that never writes leaves nothing behind once the follower leaves", () => {
  const { jobId, traces } = setup();
  const stop = traces.follow(jobId, 0, true, { data: () => {}, end: () => {} });
  expect(traces.isLive(jobId)).toBe(true);
  stop();
  expect(traces.isLive(jobId)).toBe(false);
});
