import { describe, expect, test } from "bun:test";
import { DeferredOutput } from "./deferred-output.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (chunks: Uint8Array[][]) => chunks.map((c) => c.map((b) => new TextDecoder().decode(b)).join(""));

describe("DeferredOutput", () => {
  test("an echo settles on the next tick, not in the call that sent it", async () => {
    const settled: Uint8Array[][] = [];
    const out = new DeferredOutput((chunks) => settled.push(chunks));
    out.add(bytes("a"));
    out.add(bytes("b"));
    expect(settled).toEqual([]);
    await Bun.sleep(30);
    expect(text(settled)).toEqual(["ab"]);
    out.stop();
  });

  test("a long chunk settles at once, after what was held, in order", () => {
    const settled: Uint8Array[][] = [];
    const out = new DeferredOutput((chunks) => settled.push(chunks));
    out.add(bytes("$ "));
    out.add(bytes("x".repeat(1000)));
    expect(text(settled)).toEqual([`$ ${"x".repeat(1000)}`]);
    out.stop();
  });

  test("many short chunks never hold more than 4 KB back from the flow gate", () => {
    let held = 0;
    let most = 0;
    const out = new DeferredOutput((chunks) => {
      held -= chunks.reduce((n, c) => n + c.length, 0);
    });
    for (let i = 0; i < 1000; i++) {
      out.add(bytes("y\r\n".repeat(60)));
      held += 180;
      most = Math.max(most, held);
    }
    expect(most).toBeLessThanOrEqual(4096 + 180);
    out.stop();
    expect(held).toBe(0);
  });

  test("flush() settles now; stop() settles the rest and later output at once", () => {
    const settled: Uint8Array[][] = [];
    const out = new DeferredOutput((chunks) => settled.push(chunks));
    out.add(bytes("1"));
    out.flush();
    out.add(bytes("2"));
    out.stop();
    out.add(bytes("3"));
    expect(text(settled)).toEqual(["1", "2", "3"]);
  });

  test("output spread over a burst settles whole and in order", async () => {
    const settled: Uint8Array[][] = [];
    const out = new DeferredOutput((chunks) => settled.push(chunks));
    for (let i = 0; i < 5; i++) {
      out.add(bytes(String(i)));
      await Bun.sleep(8);
    }
    await Bun.sleep(20);
    expect(text(settled).join("")).toBe("01234");
    out.stop();
  });
});
