import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LIMIT_MESSAGE, startRecording } from "./recorder.ts";

const dir = mkdtempSync(join(tmpdir(), "porthole-recorder-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const encode = (text: string) => new TextEncoder().encode(text);

function record(overrides: { maxBytes?: number; secrets?: string[] } = {}) {
  const path = join(dir, "recordings", `job-1-${++files}.cast`);
  const recording = startRecording({
    path,
    size: { cols: 80, rows: 24 },
    maxBytes: 1 << 20,
    secrets: [],
    ...overrides,
  });
  return { path, recording };
}

function parse(path: string): { header: Record<string, unknown>; events: [number, string, string][] } {
  const [head, ...rest] = readFileSync(path, "utf8").trimEnd().split("\n");
  return { header: JSON.parse(head!), events: rest.map((line) => JSON.parse(line)) };
}

describe("a session recording", () => {
  test("is asciicast v3: a header, output, resize, marker and exit events in order, characters split across chunks kept whole", async () => {
    const { path, recording } = record();
    const r = await recording;
    const euro = encode("€"); // three bytes, sent in two chunks
    r.output(encode("hello "));
    r.output(euro.subarray(0, 1));
    r.output(euro.subarray(1));
    r.resize(120, 40);
    r.marker("hold");
    r.output(encode("\r\nafter"));
    await Bun.sleep(30);
    r.output(encode(" exit"));
    r.exit(3);
    r.output(encode("ignored after the exit"));
    await r.close();
    await r.close();
    const { header, events } = parse(path);
    expect(header).toMatchObject({ version: 3, term: { cols: 80, rows: 24, type: "xterm-256color" } });
    expect(Math.abs((header.timestamp as number) - Date.now() / 1000)).toBeLessThan(60);
    const output = events
      .filter((e) => e[1] === "o")
      .map((e) => e[2])
      .join("");
    expect(output).toBe("hello €\r\nafter exit");
    expect(events.map((e) => e[1])).toEqual(["o", "r", "m", "o", "o", "x"]);
    expect(events.filter((e) => e[1] === "r").map((e) => e[2])).toEqual(["120x40"]);
    expect(events.find((e) => e[1] === "m")![2]).toBe("hold");
    expect(events.at(-1)).toEqual([expect.any(Number), "x", "3"]);
    // Relative intervals: each event's time is since the one before (the 30 ms pause shows in one event alone).
    const intervals = events.map((e) => e[0]);
    expect(intervals.every((t) => t >= 0)).toBe(true);
    expect(Math.max(...intervals)).toBeGreaterThanOrEqual(0.025);
    expect(intervals.reduce((a, b) => a + b, 0)).toBeLessThan(5);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  test("masks secrets, also when one is split across chunks", async () => {
    const { path, recording } = record({ secrets: ["s3cr3t-value-42"] });
    const r = await recording;
    r.output(encode("token=s3cr3t-"));
    r.output(encode("value-42 and again s3cr3t-value-42\r\n"));
    await r.close();
    const text = readFileSync(path, "utf8");
    expect(text).not.toContain("s3cr3t");
    expect(
      parse(path)
        .events.map((e) => e[2])
        .join(""),
    ).toBe("token=[MASKED] and again [MASKED]\r\n");
  });

  test("stops near the size limit with a last line that says so, and ignores output after it", async () => {
    const { path, recording } = record({ maxBytes: 2000 });
    const r = await recording;
    for (let i = 0; i < 200; i++) r.output(encode("y\n".repeat(50)));
    await r.close();
    const { events } = parse(path);
    expect(events.at(-1)![2]).toBe(LIMIT_MESSAGE);
    expect(events.filter((e) => e[2] === LIMIT_MESSAGE)).toHaveLength(1);
    const lastLine = JSON.stringify(events.at(-1)).length + 1;
    expect(statSync(path).size).toBeLessThanOrEqual(2000 + lastLine);
    expect(statSync(path).size).toBeGreaterThan(1900);
  });

  test("never overwrites a file that exists", async () => {
    const { path, recording } = record();
    await (await recording).close();
    await expect(startRecording({ path, size: { cols: 80, rows: 24 }, maxBytes: 1000, secrets: [] })).rejects.toThrow(
      /EEXIST|exists/,
    );
  });
});
