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

test("a follower gets the backlog, then live bytes in order, then the end", async () => {
  const { jobId, traces } = setup();
  traces.append(jobId, enc("one\n"));
  const got: string[] = [];
  let ended = false;
  traces.follow(jobId, 0, true, { data: (b) => got.push(dec(b)), end: () => (ended = true) });
  traces.append(jobId, enc("two\n"));
  await Bun.sleep(30);
  expect(got.join("")).toBe("one\ntwo\n");
  expect(ended).toBe(false);
  traces.append(jobId, enc("three\n"));
  traces.finish(jobId);
  expect(got.join("")).toBe("one\ntwo\nthree\n");
  expect(ended).toBe(true);
});

test("a follower is shown only bytes already committed: each one is in the database file when it arrives", async () => {
  const { path, jobId, traces } = setup();
  const other = openStore(path); // a second connection sees only committed transactions
  const shown: string[] = [];
  let checked = 0;
  traces.follow(jobId, 0, true, {
    data(b) {
      shown.push(dec(b));
      const stored = other.repos.traceChunks.storedSize(jobId);
      expect(stored).toBeGreaterThanOrEqual(shown.join("").length);
      checked++;
    },
    end() {},
  });
  for (let i = 0; i < 20; i++) {
    traces.append(jobId, enc(`line ${i}\n`));
    await Bun.sleep(i % 3);
  }
  await Bun.sleep(30);
  expect(shown.join("")).toBe(Array.from({ length: 20 }, (_, i) => `line ${i}\n`).join(""));
  expect(checked).toBeGreaterThan(0);
  other.close();
});

test("appends of many jobs within the window are committed together and each follower gets its own bytes", async () => {
  const a = setup();
  const store = a.store;
  const second = store.repos.jobs.insert({
    pipelineId: 1,
    projectId: 1,
    name: "k",
    stage: "test",
    stageIdx: 0,
    spec: {} as never,
  });
  const got = new Map<number, string>();
  for (const id of [a.jobId, second.id])
    a.traces.follow(id, 0, true, { data: (b) => got.set(id, (got.get(id) ?? "") + dec(b)), end() {} });
  a.traces.append(a.jobId, enc("a1 "));
  a.traces.append(second.id, enc("b1 "));
  a.traces.append(a.jobId, enc("a2"));
  expect(got.size).toBe(0);
  await Bun.sleep(30);
  expect(Object.fromEntries(got)).toEqual({ [a.jobId]: "a1 a2", [second.id]: "b1 " });
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

test("close() commits what is pending and ends every follower, also of unfinished logs; later follows end at once", async () => {
  const { path, jobId, traces } = setup();
  const got: string[] = [];
  let ended = 0;
  traces.follow(jobId, 0, true, { data: (b) => got.push(dec(b)), end: () => ended++ });
  traces.append(jobId, enc("last words\n"));
  traces.close();
  expect([got.join(""), ended]).toEqual(["last words\n", 1]);
  const other = openStore(path);
  expect(dec(createTraceStore(other.db).read(jobId))).toBe("last words\n");
  let lateEnded = false;
  traces.follow(jobId, 5, true, { data: (b) => got.push(dec(b)), end: () => (lateEnded = true) });
  expect([got.join(""), lateEnded]).toEqual(["last words\nwords\n", true]);
  other.close();
});
