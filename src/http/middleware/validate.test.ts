import { expect, test } from "bun:test";
import { z } from "zod";
import { ParamsError } from "./errors.ts";
import { parseParams, zBool, zInt, zList, zText } from "./validate.ts";

const schema = z.object({
  ref: zText(),
  page: zInt().optional(),
  masked: zBool().optional(),
  scope: z.enum(["a", "b"]).optional(),
  tags: zList().optional(),
});

test("form and query strings are coerced as Grape does", () => {
  expect(parseParams(schema, { ref: "main", page: "3", masked: "true", tags: "x, y" })).toEqual({
    ref: "main",
    page: 3,
    masked: true,
    tags: ["x", "y"],
  });
  expect(parseParams(schema, { ref: 12, masked: 0 })).toEqual({ ref: "12", masked: false });
});

test("booleans in any case and Grape's words: python-gitlab sends True/False", () => {
  const bool = z.object({ masked: zBool() });
  for (const yes of ["True", "TRUE", "true", "1", "yes", "on", "t", "Y"])
    expect(parseParams(bool, { masked: yes })).toEqual({ masked: true });
  for (const no of ["False", "FALSE", "false", "0", "no", "off", "f", "N"])
    expect(parseParams(bool, { masked: no })).toEqual({ masked: false });
  expect(() => parseParams(bool, { masked: "maybe" })).toThrow("masked is invalid");
});

test("errors use Grape's wording and name every bad parameter", () => {
  const fail = (params: unknown) => {
    try {
      parseParams(schema, params);
    } catch (e) {
      expect(e).toBeInstanceOf(ParamsError);
      return (e as Error).message;
    }
    throw new Error("expected a ParamsError");
  };
  expect(fail({})).toBe("ref is missing");
  expect(fail({ ref: "x", page: "two" })).toBe("page is invalid");
  expect(fail({ ref: "x", scope: "c" })).toBe("scope does not have a valid value");
  expect(fail({ page: "x" })).toBe("ref is missing, page is invalid");
});
