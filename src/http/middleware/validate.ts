// Parameter schemas (zod) with Grape's coercions and error wording: `ref is missing`, `scope does not have a valid value`.
import { z } from "zod";
import { ParamsError } from "./errors.ts";

/** Integers from JSON numbers or digit strings (form and query values are strings). */
export const zInt = () =>
  z.preprocess((v) => (typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : v), z.number().int());

const TRUE_WORDS = new Set(["true", "t", "yes", "y", "on", "1"]);
const FALSE_WORDS = new Set(["false", "f", "no", "n", "off", "0"]);

/** Booleans as Grape accepts them: true/false, 1/0, and the words true/t/yes/y/on/1 (any case) and their negations. */
export const zBool = () =>
  z.preprocess((v) => {
    if (v === 1) return true;
    if (v === 0) return false;
    if (typeof v !== "string") return v;
    const word = v.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    return v;
  }, z.boolean());

/** Strings; numbers and booleans are taken as their text (clients send `value: 1`). */
export const zText = () =>
  z.preprocess((v) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v), z.string());

/** A list of strings from an array or a comma-separated string (`tag_list=a,b`). */
export const zList = () =>
  z.preprocess(
    (v) =>
      typeof v === "string"
        ? v
            .split(",")
            .map((s) => s.trim())
            .filter((s) => s.length > 0)
        : v,
    z.array(z.string()),
  );

/** Parses `params` with `schema`; throws ParamsError (400, Grape's wording) naming every bad parameter. */
export function parseParams<S extends z.ZodType>(schema: S, params: unknown): z.output<S> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const problems = new Map<string, string>();
  for (const issue of result.error.issues) {
    const name = paramName(issue.path);
    if (problems.has(name)) continue;
    const missing = issue.code === "invalid_type" && valueAt(params, issue.path) === undefined;
    const wording = missing
      ? "is missing"
      : issue.code === "invalid_value"
        ? "does not have a valid value"
        : "is invalid";
    problems.set(name, `${name} ${wording}`);
  }
  throw new ParamsError([...problems.values()].join(", "));
}

function paramName(path: PropertyKey[]): string {
  const [first, ...rest] = path.map(String);
  return (first ?? "params") + rest.map((p) => `[${p}]`).join("");
}

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
