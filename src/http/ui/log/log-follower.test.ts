import { describe, expect, test } from "bun:test";
import { planJob } from "../../../pipeline/pipeline.testing.ts";
import { makeFixture } from "../ui-fixtures.testing.ts";
import { followLog } from "./log-follower.ts";
import type { LogStreamEvent } from "./log-ops.ts";
import { initialRendererState } from "./log-renderer.ts";
import { renderLogTail } from "./log-window.ts";
import { decodeResumeToken } from "./resume-token.ts";

const E = "\x1b";
const enc = (s: string) => new TextEncoder().encode(s);

function setup() {
  const f = makeFixture();
  const job = f.addJob(f.addPipeline(), planJob("build", 0, { stage: "build" }), "running");
  return { ...f, job };
}

function collect() {
  const events: LogStreamEvent[] = [];
  let ended = false;
  const done = Promise.withResolvers<void>();
  return {
    events,
    get ended() {
      return ended;
    },
    done: done.promise,
    sink: {
      event: (e: LogStreamEvent) => events.push(e),
      end: () => {
        ended = true;
        done.resolve();
      },
    },
  };
}

describe("followLog", () => {
  test("continues a page's tail exactly: lines appended later arrive as ops, then end", async () => {
    const { traces, job } = setup();
    traces.append(job.id, enc(`${E}[0Ksection_start:100:step_script\r${E}[0KScript\nfirst\nhalf a li`));
    const tail = renderLogTail(traces, job.id, false);
    expect(tail.html).toContain(`<div class="ln" data-n="2">first</div>`);
    expect(tail.pendingHtml).toBe(`<div class="ln pending">half a li</div>`);
    expect(tail.openDepth).toBe(1);

    const out = collect();
    const follower = followLog(traces, job.id, decodeResumeToken(tail.resume)!, true, out.sink, 5);
    traces.append(job.id, enc(`ne\nsecond\n${E}[0Ksection_end:130:step_script\r${E}[0K\nJob succeeded\n`));
    traces.finish(job.id);
    await out.done;
    follower.stop();
    const ops = out.events.flatMap((e) => e.ops);
    expect(ops).toEqual([
      { op: "line", html: `<div class="ln" data-n="3">half a line</div>` },
      { op: "line", html: `<div class="ln" data-n="4">second</div>` },
      { op: "close", duration: "00:30" },
      { op: "line", html: `<div class="ln" data-n="5">Job succeeded</div>` },
    ]);
    expect(out.events.at(-1)!.pending).toBe("");
  });

  test("batches bursts and resumes from the token of any event without loss or repetition", async () => {
    const { traces, job } = setup();
    const out = collect();
    const follower = followLog(traces, job.id, { offset: 0, state: initialRendererState() }, true, out.sink, 20);
    for (let i = 1; i <= 50; i++) traces.append(job.id, enc(`line ${i}\n`));
    traces.append(job.id, enc("partial"));
    await Bun.sleep(60); // > the 20 ms batch interval: timers fire in deadline order
    follower.stop();
    expect(out.events.length).toBe(1);
    expect(out.events[0]!.ops.length).toBe(50);
    expect(out.events[0]!.pending).toContain("partial");

    const again = collect();
    const resumed = followLog(traces, job.id, decodeResumeToken(out.events[0]!.resume)!, true, again.sink, 5);
    traces.append(job.id, enc(" done\n"));
    resumed.finish();
    await again.done;
    expect(again.events.flatMap((e) => e.ops)).toEqual([
      { op: "line", html: `<div class="ln" data-n="51">partial done</div>` },
    ]);
  });

  test("a finished job's log ends right after the backlog", async () => {
    const { traces, job } = setup();
    traces.append(job.id, enc("only\n"));
    traces.finish(job.id);
    const out = collect();
    followLog(traces, job.id, { offset: 0, state: initialRendererState() }, false, out.sink, 5);
    await out.done;
    expect(out.events.flatMap((e) => e.ops)).toEqual([{ op: "line", html: `<div class="ln" data-n="1">only</div>` }]);
  });
});
