import { expect, test } from "bun:test";
import { nestParams } from "./nested-params.ts";

const parse = (query: string) => nestParams(new URLSearchParams(query));

test("Rack's nested names: hashes, arrays, arrays of hashes", () => {
  expect(parse("ref=main&variables[FOO]=bar&variables[N]=1")).toEqual({
    ref: "main",
    variables: { FOO: "bar", N: "1" },
  });
  expect(parse("scopes[]=api&scopes[]=read_api")).toEqual({ scopes: ["api", "read_api"] });
  expect(parse("variables[][key]=A&variables[][value]=1&variables[][key]=B&variables[][value]=2")).toEqual({
    variables: [
      { key: "A", value: "1" },
      { key: "B", value: "2" },
    ],
  });
  expect(parse("filter[environment_scope]=prod")).toEqual({ filter: { environment_scope: "prod" } });
});

test("a later plain value replaces an earlier one, as in Rack", () => {
  expect(parse("a=1&a=2")).toEqual({ a: "2" });
});

test("names reaching Object.prototype are dropped, and nothing is polluted", () => {
  const out = parse("__proto__[polluted]=1&x[constructor][prototype][y]=2&ok=1");
  expect(out).toEqual({ x: {}, ok: "1" });
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});
