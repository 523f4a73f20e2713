// Configuration problems as one line each: text values read by kind, and zod issues phrased for people.
import type { z } from "zod";
import type { ConfigKey } from "./keys.ts";

/** Thrown by `loadConfig`: every problem found, one line each, naming the key and where it came from. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

const show = (value: unknown) =>
  typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));

function expectation(key: ConfigKey | undefined): string {
  switch (key?.kind) {
    case "integer":
      return "a whole number";
    case "number":
      return "a number";
    case "boolean":
      return "true or false";
    case "enum":
      return `one of ${key.values?.join(", ")}`;
    case "list":
      return "a list of strings";
    case "string":
      return "a string";
    default:
      return "a table";
  }
}

export type Coerced = { ok: true; value: unknown } | { ok: false; problem: string };

/** Reads an env or flag value as the key's kind; lists are comma-separated. */
export function coerceText(key: ConfigKey, text: string): Coerced {
  const fail = (): Coerced => ({ ok: false, problem: `expected ${expectation(key)}, got ${show(text)}` });
  const trimmed = text.trim();
  switch (key.kind) {
    case "integer":
      return /^[+-]?\d+$/.test(trimmed) ? { ok: true, value: Number(trimmed) } : fail();
    case "number":
      return trimmed !== "" && Number.isFinite(Number(trimmed)) ? { ok: true, value: Number(trimmed) } : fail();
    case "boolean":
      if (["true", "1", "yes"].includes(trimmed.toLowerCase())) return { ok: true, value: true };
      if (["false", "0", "no"].includes(trimmed.toLowerCase())) return { ok: true, value: false };
      return fail();
    case "enum":
      return key.values?.includes(trimmed) ? { ok: true, value: trimmed } : fail();
    case "list":
      return { ok: true, value: trimmed === "" ? [] : trimmed.split(",").map((s) => s.trim()) };
    case "string":
      return { ok: true, value: text };
  }
}

/** One issue from `safeParse(…, { reportInput: true })` as a phrase, e.g. `must be at least 1, got 0`. */
export function describeIssue(issue: z.core.$ZodIssue, key: ConfigKey | undefined): string {
  const got = "input" in issue ? `, got ${show(issue.input)}` : "";
  switch (issue.code) {
    case "invalid_type":
    case "invalid_value":
      return `expected ${expectation(key)}${got}`;
    case "too_small":
      if (issue.origin === "string") return `must not be empty`;
      return `must be ${issue.inclusive ? "at least" : "greater than"} ${issue.minimum}${got}`;
    case "too_big":
      return `must be ${issue.inclusive ? "at most" : "less than"} ${issue.maximum}${got}`;
    case "invalid_format":
      return issue.format === "url" ? `expected a URL such as http://ci.example.com${got}` : `${issue.message}${got}`;
    default:
      return `${issue.message}${got}`;
  }
}
