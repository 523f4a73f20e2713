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
