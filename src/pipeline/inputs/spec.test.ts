// The header's entries and the inputs' checks, case by case as GitLab's header/input_spec, header/spec_spec and
// interpolation/inputs_spec have them.
import { describe, expect, test } from "bun:test";
import { loadYaml } from "../yaml/load.ts";
import type { YMap, YNode } from "../yaml/tree.ts";
import { readHeader, resolveInputs } from "./spec.ts";

const node = (yaml: string): YNode => loadYaml(yaml, "t.yml").root!;
const specsOf = (yaml: string) => {
  const read = readHeader(node(yaml));
  if ("errors" in read) throw new Error(read.errors.join("; "));
  return read.specs;
};
const errorsFor = (header: string, args: string) => {
  const result = resolveInputs(specsOf(header), node(args) as YMap);
  return "errors" in result ? result.errors : [];
};
const valuesFor = (header: string, args: string) => {
  const result = resolveInputs(specsOf(header), node(args) as YMap);
  if ("errors" in result) throw new Error(result.errors.join("; "));
  return Object.fromEntries([...result.values].map(([k, v]) => [k, v.kind === "scalar" ? v.value : v.kind]));
};

describe("header", () => {
  test("defaults, a required input written as nothing, every key GitLab allows", () => {
    const specs = specsOf(
      "spec:\n  inputs:\n    foo: {default: bar}\n    req:\n    all: {type: string, default: a, description: d, options: [a, b], regex: ^a$}\n",
    );
    expect([...specs.keys()]).toEqual(["foo", "req", "all"]);
    expect(specs.get("req")).toEqual({ type: "string" });
  });

  test("GitLab's messages for unknown keys and wrong entries", () => {
    const errors = (yaml: string) => {
      const read = readHeader(node(yaml));
      return "errors" in read ? read.errors : [];
    };
    expect(errors("spec: {test: 123}\n")).toEqual(["header:spec config contains unknown keys: test"]);
    expect(errors("spec: {}\nother: 1\n")).toEqual(["header config contains unknown keys: other"]);
    expect(errors("spec: {inputs: [a]}\n")).toEqual(["header:spec:inputs config should be a hash"]);
    expect(errors("spec: {inputs: {a: 1}}\n")).toEqual(["header:spec:inputs:a config should be a hash"]);
    expect(errors("spec: {inputs: {a: {defaults: 1}}}\n")).toEqual([
      "header:spec:inputs:a config contains unknown keys: defaults",
    ]);
    expect(errors("spec: {inputs: {a: {type: integer}}}\n")).toEqual([
      "header:spec:inputs:a input type unknown value: integer",
    ]);
    expect(errors("spec: {inputs: {a: {options: a}}}\n")).toEqual([
      "header:spec:inputs:a input options should be an array",
    ]);
    expect(errors("spec: {inputs: {a: {regex: [x]}}}\n")).toEqual([
      "header:spec:inputs:a input regex should be a string",
    ]);
    const many = Array.from({ length: 51 }, (_, i) => `o${i}`).join(", ");
    expect(errors(`spec: {inputs: {a: {options: [${many}]}}}\n`)).toEqual([
      "header:spec:inputs:a config cannot define more than 50 options",
    ]);
  });
});

describe("inputs", () => {
  test("a given value wins over the default; an empty string is a value", () => {
    expect(valuesFor("spec: {inputs: {foo: {default: bar}}}\n", "{}\n")).toEqual({ foo: "bar" });
    expect(valuesFor("spec: {inputs: {foo: {default: bar}}}\n", "{foo: baz}\n")).toEqual({ foo: "baz" });
    expect(valuesFor("spec: {inputs: {foo:}}\n", "{foo: ''}\n")).toEqual({ foo: "" });
  });

  test("options: the value must be one of them, numbers compared as numbers", () => {
    const header = "spec: {inputs: {foo: {default: one, options: [one, two, three]}}}\n";
    expect(valuesFor(header, "{foo: two}\n")).toEqual({ foo: "two" });
    expect(errorsFor(header, "{foo: four}\n")).toEqual([
      "`foo` input: `four` cannot be used because it is not in the list of allowed options",
    ]);
    const numbers = "spec: {inputs: {n: {type: number, default: 1, options: [1, 2]}}}\n";
    expect(errorsFor(numbers, "{n: 3}\n")).toEqual([
      "`n` input: `3` cannot be used because it is not in the list of the allowed options",
    ]);
    expect(errorsFor("spec: {inputs: {foo: {default: four, options: [one]}}}\n", "{}\n")).toEqual([
      "`foo` input: `four` cannot be used because it is not in the list of allowed options",
    ]);
  });

  test("options and regex only with the types GitLab allows them on", () => {
    expect(errorsFor("spec: {inputs: {b: {type: boolean, default: true, options: [true]}}}\n", "{}\n")).toEqual([
      "`b` input: Options can only be used with string and number inputs",
    ]);
    expect(errorsFor("spec: {inputs: {n: {type: number, default: 1, regex: ^1$}}}\n", "{}\n")).toEqual([
      "`n` input: RegEx validation can only be used with string inputs",
    ]);
  });

  test("regex: the default and the value must match; an invalid pattern is reported", () => {
    const header = "spec: {inputs: {v: {default: v1.0, regex: '^v\\d+\\.\\d+$'}}}\n";
    expect(valuesFor(header, "{v: v2.10}\n")).toEqual({ v: "v2.10" });
    expect(errorsFor(header, "{v: '2.10'}\n")).toEqual([
      "`v` input: provided value does not match required RegEx pattern",
    ]);
    expect(errorsFor("spec: {inputs: {v: {default: x, regex: ^v}}}\n", "{}\n")).toEqual([
      "`v` input: default value does not match required RegEx pattern",
    ]);
    expect(errorsFor("spec: {inputs: {v: {default: x, regex: '(x'}}}\n", "{}\n")).toEqual([
      "`v` input: invalid regular expression",
    ]);
  });

  test("types: the default's and the value's, each named", () => {
    expect(errorsFor("spec: {inputs: {a: {type: array, default: x}}}\n", "{}\n")).toEqual([
      "`a` input: default value is not an array",
    ]);
    expect(errorsFor("spec: {inputs: {b: {type: boolean, default: false}}}\n", "{b: 'true'}\n")).toEqual([
      "`b` input: provided value is not a boolean",
    ]);
    expect(valuesFor("spec: {inputs: {b: {type: boolean, default: true}}}\n", "{b: false}\n")).toEqual({ b: false });
    expect(valuesFor("spec: {inputs: {n: {type: number, default: 1}}}\n", "{n: 2.5}\n")).toEqual({ n: 2.5 });
    expect(valuesFor("spec: {inputs: {a: {type: array, default: []}}}\n", "{a: [1, two]}\n")).toEqual({ a: "seq" });
  });

  test("unknown arguments are named together; a required input without value", () => {
    expect(errorsFor("spec: {inputs: {foo:}}\n", "{foo: bar, test: bar, other: 1}\n")).toEqual([
      "unknown input arguments: test, other",
    ]);
    expect(errorsFor("spec: {inputs: {foo:}}\n", "{}\n")).toEqual([
      "`foo` input: required value has not been provided",
    ]);
  });
});
