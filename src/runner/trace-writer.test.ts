import { describe, expect, test } from "bun:test";
import type { Coordinator } from "../domain/coordinator.ts";
import { TraceLost } from "../domain/trace-lost.ts";
import { createMemoryCoordinator } from "./runner.testing.ts";
import { createTraceWriter, limitExceededMessage } from "./trace-writer.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("trace writer", () => {
  test("keeps order and offsets; batches what is written while an append is in flight; close waits for all", async () => {
    const memory = createMemoryCoordinator();
    const calls: { offset: number; length: number }[] = [];
    let release: () => void = () => {};
    const slow: Coordinator = {
      ...memory,
      async appendTrace(jobId, offset, data) {
        calls.push({ offset, length: data.length });
        if (calls.length === 1) await new Promise<void>((r) => (release = r));
        return memory.appendTrace(jobId, offset, data);
      },
    };
    const writer = createTraceWriter(slow, 7);
    writer.write(bytes("one\n"));
    await Bun.sleep(5); // the first append is now in flight and held
    for (let i = 0; i < 100; i++) writer.write(bytes(`line ${i}\n`));
    const closed = writer.close();
    release();
    await closed;
    const expected = `one\n${Array.from({ length: 100 }, (_, i) => `line ${i}\n`).join("")}`;
    expect(memory.trace(7)).toBe(expected);
    expect(calls.length).toBe(2);
    expect(calls[1]).toEqual({ offset: 4, length: expected.length - 4 });
  });

  test("a failing append is retried with the same offset", async () => {
    const memory = createMemoryCoordinator();
    let failures = 1;
    const flaky: Coordinator = {
      ...memory,
      async appendTrace(jobId, offset, data) {
        if (failures-- > 0) throw new Error("connection reset");
        return memory.appendTrace(jobId, offset, data);
      },
    };
    const writer = createTraceWriter(flaky, 1);
    writer.write(bytes("hello "));
    writer.write(bytes("world"));
    await writer.close();
    expect(memory.trace(1)).toBe("hello world");
  });

  test("an append that keeps failing makes close() reject instead of hanging", async () => {
    const broken: Coordinator = {
      ...createMemoryCoordinator(),
      appendTrace: async () => Promise.reject(new Error("gone")),
    };
    const writer = createTraceWriter(broken, 1);
    writer.write(bytes("lost"));
    await expect(writer.close()).rejects.toThrow("gone");
  }, 10_000);

  test("at the limit it cuts the write, adds gitlab-runner's message once and drops the rest", async () => {
    const memory = createMemoryCoordinator();
    const writer = createTraceWriter(memory, 3, 10);
    writer.write(bytes("12345"));
    writer.write(bytes("6789abcdef"));
    writer.write(bytes("never stored"));
    await writer.close();
    expect(memory.trace(3)).toBe(`123456789a${limitExceededMessage(10)}`);
  });

  test("bytes the server dropped (TraceLost) are not retried: it continues at the server's end, reports once, and drops output until resume()", async () => {
    const memory = createMemoryCoordinator();
    let refuse = true;
    const full: Coordinator = {
      ...memory,
      async appendTrace(jobId, offset, data) {
        if (refuse && new TextDecoder().decode(data).includes("big")) {
          refuse = false;
          throw new TraceLost("the disk is full: porthole.db: database or disk is full", 6, true);
        }
        return memory.appendTrace(jobId, offset, data);
      },
    };
    const lost: TraceLost[] = [];
    const writer = createTraceWriter(full, 4, 1024, (e) => lost.push(e));
    writer.write(bytes("start\n"));
    await Bun.sleep(5);
    writer.write(bytes("big output\n"));
    await Bun.sleep(5);
    writer.write(bytes("more output, dropped\n"));
    writer.resume();
    writer.write(bytes("ERROR: Job failed: the disk is full\n"));
    await writer.close();
    expect(memory.trace(4)).toBe("start\nERROR: Job failed: the disk is full\n");
    expect(lost.map((e) => e.diskFull)).toEqual([true]);
  });
});
