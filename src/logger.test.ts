// The logger writes one parseable line per event, drops lines below its level, and keeps bound fields.
import { expect, test } from "bun:test";
import { createLogger, type LoggerOptions } from "./logger.ts";

function capture(options: LoggerOptions) {
  const lines: string[] = [];
  return { lines, log: createLogger({ ...options, write: (line) => lines.push(line) }) };
}

test("logfmt: time, level, msg, then fields; values with spaces, quotes or newlines are quoted on one line", () => {
  const { lines, log } = capture({});
  log.child({ component: "runner" }).warn("asking for a job failed", {
    retry_ms: 500,
    error: new Error('disk "on"\nfire'),
    empty: "",
    skipped: undefined,
  });
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^time=\d{4}-\d\d-\d\dT[\d:.]+Z level=warn msg="asking for a job failed" component=runner retry_ms=500 error="Error: disk \\"on\\"\\nfire" empty=""$/,
  );
});

test("json: one object per line with the same keys", () => {
  const { lines, log } = capture({ format: "json" });
  log.info("listening", { url: "http://127.0.0.1:1" });
  expect(JSON.parse(lines[0]!)).toMatchObject({ level: "info", msg: "listening", url: "http://127.0.0.1:1" });
});

test("lines below the level are dropped", () => {
  const { lines, log } = capture({ level: "warn" });
  log.debug("d");
  log.info("i");
  log.warn("w");
  log.error("e");
  expect(lines.map((l) => l.match(/level=(\w+)/)![1])).toEqual(["warn", "error"]);
  const verbose = capture({ level: "debug" });
  verbose.log.debug("d");
  expect(verbose.lines).toHaveLength(1);
});
