import { describe, expect, test } from "bun:test";
import { parseDuration } from "./duration.ts";

describe("parseDuration (GitLab's ChronicDuration)", () => {
  test.each([
    ["3600", 3600],
    ["1h 30m", 5400],
    ["1h30m", 5400],
    ["90 minutes", 5400],
    ["3600 seconds", 3600],
    ["3 hours 30 minutes", 12_600],
    ["3 Mins 4 Sec", 184],
    ["2 hrs 20 min", 8400],
    ["2.5 hrs", 9000],
    ["1 day", 86_400],
    ["1 week", 604_800],
    ["1 month", 2_592_000],
    ["1 year", 31_557_600],
    ["3 weeks and, 2 days", 3600 * 24 * 23],
    ["3 weeks, plus 2 days", 3600 * 24 * 23],
    ["3 weeks with 2 days", 3600 * 24 * 23],
    ["day", 86_400],
    ["minute 30s", 90],
    ["1:20", 80],
    ["4:01:01", 4 * 3600 + 61],
    ["  30   mins ", 1800],
  ])("%p is %p seconds", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  test.each(["", "0", "soon", "23 gobblygoos", "1 fortnight", "1h and a bit", "1:2:3:4:5:6:7"])(
    "%p is not a duration",
    (text) => {
      expect(parseDuration(text)).toBeNull();
    },
  );
});
