import { describe, expect, test } from "bun:test";
import { opsToHtml } from "./log-html.ts";
import { type LogOp, LogRenderer, MAX_SECTION_DEPTH } from "./log-renderer.ts";
import { scanLogState } from "./log-scan.ts";

const E = "\x1b";
const start = (t: number, name: string, opts = "") => `${E}[0Ksection_start:${t}:${name}${opts}\r${E}[0K`;
const end = (t: number, name: string) => `${E}[0Ksection_end:${t}:${name}\r${E}[0K`;

/** A log as the runner writes it (gitlab-runner's format). */
const RUNNER_LOG = [
  `${E}[0KRunning with porthole 0.1.0${E}[0;m`,
  `${start(1700000000, "prepare_executor")}${E}[0K${E}[36;1mPreparing the "shell" executor${E}[0;m`,
  `${E}[0KUsing Shell executor...${E}[0;m`,
  `${end(1700000003, "prepare_executor")}`,
  `${start(1700000003, "step_script")}${E}[0K${E}[36;1mExecuting "step_script" stage of the job script${E}[0;m`,
  `${E}[32;1m$ echo <hello> & "bye"${E}[0;m`,
  `<hello> & "bye"`,
  `${end(1700000068, "step_script")}`,
  `${E}[32;1mJob succeeded${E}[0;m`,
  "",
].join("\n");

const render = (text: string) => {
  const r = new LogRenderer();
  return [...r.feed(text), ...r.flush()];
};
const lines = (ops: LogOp[]) => ops.filter((o) => o.op === "line").map((o) => (o as { html: string }).html);

describe("LogRenderer", () => {
  test("plain lines are numbered and HTML-escaped", () => {
    expect(lines(render("a <b>\n'c' & \"d\"\n"))).toEqual([
      `<div class="ln" data-n="1">a &lt;b&gt;</div>`,
      `<div class="ln" data-n="2">&#x27;c&#x27; &amp; &quot;d&quot;</div>`,
    ]);
  });

  test("SGR colours become classes; other escapes and control characters are stripped", () => {
    const [line] = lines(
      render(`${E}[0K${E}[32;1m$ make${E}[0;m plain ${E}[38;5;208mo${E}[38;2;255;0;0mr${E}]0;title\x07${E}[2J\x07x\n`),
    );
    expect(line).toBe(
      `<div class="ln" data-n="1"><span class="fg-2 bold">$ make</span> plain <span class="fg-208">o</span>` +
        `<span class="fg-196">rx</span></div>`,
    );
  });

  test("style carries over to the next line until reset", () => {
    expect(lines(render(`${E}[31mred\nstill red${E}[0m\nplain\n`))).toEqual([
      `<div class="ln" data-n="1"><span class="fg-1">red</span></div>`,
      `<div class="ln" data-n="2"><span class="fg-1">still red</span></div>`,
      `<div class="ln" data-n="3">plain</div>`,
    ]);
  });

  test("a lone \\r drops what came before it on the line; \\r\\n is a line end", () => {
    expect(lines(render("10%\r50%\r100%\nkeep\r\nempty\r\n"))).toEqual([
      `<div class="ln" data-n="1">100%</div>`,
      `<div class="ln" data-n="2">keep</div>`,
      `<div class="ln" data-n="3">empty</div>`,
    ]);
    expect(lines(render("gone\r\r\n"))).toEqual([`<div class="ln" data-n="1"></div>`]);
  });

  test("runner sections open with their header line and close with their duration; end lines are not shown", () => {
    const ops = render(RUNNER_LOG);
    expect(ops.map((o) => o.op)).toEqual(["line", "open", "line", "close", "open", "line", "line", "close", "line"]);
    const open = ops[1] as Extract<LogOp, { op: "open" }>;
    expect(open.name).toBe("prepare_executor");
    expect(open.collapsed).toBe(false);
    expect(open.head).toContain(`<span class="fg-6 bold">Preparing the &quot;shell&quot; executor</span>`);
    expect(ops[3]).toEqual({ op: "close", duration: "00:03" });
    expect(ops[7]).toEqual({ op: "close", duration: "01:05" });
    expect((ops[8] as { html: string }).html).toBe(
      `<div class="ln" data-n="7"><span class="fg-2 bold">Job succeeded</span></div>`,
    );
  });

  test("opsToHtml nests sections in <details> with durations in the summary", () => {
    const html = opsToHtml(render(RUNNER_LOG));
    expect(html).toContain(`<details class="sec" open data-section="step_script"><summary class="ln" data-n="4">`);
    expect(html).toContain(`<span class="sec-dur">01:05</span></summary><div class="ln" data-n="5">`);
    expect(html.match(/<details/g)?.length).toBe(2);
    expect(html.match(/<\/details>/g)?.length).toBe(2);
  });

  test("[collapsed=true] starts closed; a header-less section is titled by its name", () => {
    const ops = render(`${start(10, "deps", "[collapsed=true]")}\ninside\n${end(12, "deps")}\n`);
    const open = ops[0] as Extract<LogOp, { op: "open" }>;
    expect(open.collapsed).toBe(true);
    expect(open.head).toContain(`<details class="sec" data-section="deps">`);
    expect(open.head).toContain(`<span class="sec-title">deps</span>`);
  });

  test("an unmatched end is ignored; ending an outer section closes the inner ones", () => {
    expect(render(`${end(5, "nothing")}\nx\n`).map((o) => o.op)).toEqual(["line"]);
    const ops = render(`${start(1, "outer")}outer\n${start(2, "inner")}inner\ntext\n${end(9, "outer")}\nafter\n`);
    expect(ops.map((o) => o.op)).toEqual(["open", "open", "line", "close", "close", "line"]);
    expect(ops[3]).toEqual({ op: "close", duration: "00:07" });
    expect(ops[4]).toEqual({ op: "close", duration: "00:08" });
  });

  test("text around markers on one line becomes its own lines; deep nesting is capped", () => {
    expect(render(`before${start(1, "a")}head\n`).map((o) => o.op)).toEqual(["line", "open"]);
    const deep = Array.from({ length: MAX_SECTION_DEPTH + 5 }, (_, i) => `${start(i, `s${i}`)}h${i}\n`).join("");
    expect(render(deep).filter((o) => o.op === "open").length).toBe(MAX_SECTION_DEPTH);
  });

  test("feeding in arbitrary pieces gives the same ops as feeding at once", () => {
    const whole = render(`${RUNNER_LOG}tail without newline`);
    for (const size of [1, 2, 3, 7, 13, 64]) {
      const r = new LogRenderer();
      const ops: LogOp[] = [];
      const text = `${RUNNER_LOG}tail without newline`;
      for (let i = 0; i < text.length; i += size) ops.push(...r.feed(text.slice(i, i + size)));
      ops.push(...r.flush());
      expect(ops).toEqual(whole);
    }
  });

  test("pending() shows the unfinished line without consuming it", () => {
    const r = new LogRenderer();
    r.feed(`done\n${E}[33mDownloading 40%\r`);
    expect(r.pending()).toBe(`<div class="ln pending"></div>`);
    r.feed("Downloading 80%");
    expect(r.pending()).toBe(`<div class="ln pending"><span class="fg-3">Downloading 80%</span></div>`);
    expect(r.pendingText()).toBe(`${E}[33mDownloading 40%\rDownloading 80%`);
    expect(lines(r.feed("\n"))).toEqual([`<div class="ln" data-n="2"><span class="fg-3">Downloading 80%</span></div>`]);
  });

  test("a renderer resumed from state() continues exactly where the first stopped", () => {
    const cut = RUNNER_LOG.lastIndexOf("<hello> &");
    const first = new LogRenderer();
    const a = first.feed(RUNNER_LOG.slice(0, cut));
    const b = new LogRenderer(first.state()).feed(RUNNER_LOG.slice(cut));
    expect([...a, ...b]).toEqual(render(RUNNER_LOG));
  });

  test("reopen() marks sections a partial log starts inside", () => {
    const r = new LogRenderer({
      line: 40,
      sections: [{ name: "step_script", start: 100 }],
      style: new LogRenderer().state().style,
    });
    const ops = [...r.reopen(), ...r.feed(`x\n${end(160, "step_script")}\n`)];
    expect(ops.map((o) => o.op)).toEqual(["open", "line", "close"]);
    expect((ops[0] as { head: string }).head).toContain("data-continued");
    expect(ops[2]).toEqual({ op: "close", duration: "01:00" });
  });
});

describe("scanLogState", () => {
  test("matches the renderer's line number and open sections at every line boundary", () => {
    const text = `${RUNNER_LOG}${start(1700000100, "extra")}x\r\ny\n\n${E}[1mbold\n${RUNNER_LOG}`;
    const bytes = new TextEncoder().encode(text);
    for (let i = 0; i <= bytes.length; i++) {
      if (i > 0 && bytes[i - 1] !== 10) continue;
      const r = new LogRenderer();
      r.feed(new TextDecoder().decode(bytes.subarray(0, i)));
      const expected = r.state();
      const scanned = scanLogState(bytes.subarray(0, i));
      expect({ line: scanned.line, sections: scanned.sections }).toEqual({
        line: expected.line,
        sections: expected.sections,
      });
    }
  });

  test("an unfinished last line counts as a line", () => {
    expect(scanLogState(new TextEncoder().encode("a\nb")).line).toBe(3);
  });
});
