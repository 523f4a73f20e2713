import { describe, expect, test } from "bun:test";
import { loadYaml } from "./load.ts";
import { rubyFloatToS } from "./scalar.ts";
import type { YMap, YNode } from "./tree.ts";

const root = (text: string): YMap => {
  const { root, errors } = loadYaml(text, ".gitlab-ci.yml");
  expect(errors).toEqual([]);
  return root as YMap;
};
const at = (map: YMap, ...path: string[]): YNode =>
  path.reduce<YNode>((node, key) => (node as YMap).pairs.get(key)!.value, map);
const scalar = (text: string) => {
  const node = at(root(`v: ${text}\n`), "v");
  return node.kind === "scalar" ? [node.value, node.text] : node.kind;
};

describe("scalars as Psych (GitLab) reads them, YAML 1.1", () => {
  test.each([
    ["012345", [5349, "5349"]],
    ["0x1F", [31, "31"]],
    ["0b101", [5, "5"]],
    ["1_000", [1000, "1000"]],
    ["1,000", [1000, "1000"]],
    ["09", ["09", "09"]],
    ["1:30", [5400, "5400"]],
    ["1.10", [1.1, "1.1"]],
    ["1.0", [1, "1.0"]],
    ["1e3", ["1e3", "1e3"]],
    ["1.5e+3", [1500, "1500.0"]],
    ["12345678901234567890", [12345678901234567000, "12345678901234567890"]],
    ["yes", [true, "true"]],
    ["On", [true, "true"]],
    ["OFF", [false, "false"]],
    ["no", [false, "false"]],
    ["y", ["y", "y"]],
    ["n", ["n", "n"]],
    ["~", [null, ""]],
    ["Null", [null, ""]],
    [":sym", ["sym", "sym"]],
    ["'yes'", ["yes", "yes"]],
    ['"012"', ["012", "012"]],
    ["!!str 012", ["012", "012"]],
    ["!!float 1", [1, "1.0"]],
    ["hello world", ["hello world", "hello world"]],
  ])("%p", (text, expected) => {
    expect(scalar(text)).toEqual(expected);
  });

  test("block scalars stay strings", () => {
    expect(scalar("|\n  yes\n")).toEqual(["yes\n", "yes\n"]);
  });

  test("dates and times are refused as Psych's safe_load refuses them", () => {
    const { errors } = loadYaml("a: 2024-01-31\nb: 2024-01-31 10:00:00\n", "x.yml");
    expect(errors.map((e) => [e.message, e.line, e.column])).toEqual([
      ["Tried to load unspecified class: Date", 1, 4],
      ["Tried to load unspecified class: Time", 2, 4],
    ]);
  });

  test("Ruby's Float#to_s", () => {
    expect([1e20, 1.5e-5, 0.5, 100, -2.25, Infinity].map(rubyFloatToS)).toEqual([
      "1.0e+20",
      "1.5e-05",
      "0.5",
      "100.0",
      "-2.25",
      "Infinity",
    ]);
  });
});

describe("mappings", () => {
  test("a duplicate key: the last value wins, in the first key's place", () => {
    const map = root("a: 1\nb: 2\na: 3\n");
    expect([...map.pairs.keys()]).toEqual(["a", "b"]);
    expect(at(map, "a")).toMatchObject({ value: 3, loc: { line: 3, column: 4 } });
  });

  test("anchors, aliases and << merge keys in Psych's order: a merge overrides the keys before it", () => {
    const map = root(
      [
        ".base: &base {image: ruby, stage: build, tags: [a]}",
        ".more: &more {stage: test, retry: 1}",
        "job:",
        "  stage: first",
        "  <<: [*base, *more]",
        "  script: x",
      ].join("\n"),
    );
    const job = at(map, "job") as YMap;
    // Psych merges the list back to front (so .base wins over .more), then merges that over the keys so far.
    expect([...job.pairs.keys()]).toEqual(["stage", "retry", "image", "tags", "script"]);
    expect(at(job, "stage")).toMatchObject({ value: "build" });
    expect(at(job, "image").loc).toEqual({ file: ".gitlab-ci.yml", line: 1, column: 22 });
  });

  test("a quoted << is an ordinary key", () => {
    expect([...(at(root('j:\n  "<<": {a: 1}\n'), "j") as YMap).pairs.keys()]).toEqual(["<<"]);
  });

  test("keys resolve like values (on: is true)", () => {
    expect([...root("on: 1\n012: 2\n").pairs.keys()]).toEqual(["true", "10"]);
  });
});

describe("tags, errors and limits", () => {
  test("!reference becomes a reference node", () => {
    expect(at(root("a: !reference [.x, script]\n"), "a")).toMatchObject({ kind: "reference", path: [".x", "script"] });
  });

  test("an unknown tag is an error at the tag, not silently dropped", () => {
    const { errors } = loadYaml("a: !refrence [.x, script]\n", "ci.yml");
    expect(errors).toEqual([{ message: "unsupported YAML tag !refrence", file: "ci.yml", line: 1, column: 14 }]);
  });

  test("syntax errors carry their position", () => {
    const { root, errors } = loadYaml("job:\n  script: [a\nother: b\n", "ci.yml");
    expect(root).toBeNull();
    expect(errors[0]).toMatchObject({ file: "ci.yml", line: 3, column: 1 });
    expect(errors[0]!.message).not.toContain("\n");
  });

  test("an alias to an unknown anchor", () => {
    expect(loadYaml("a: *nope\n", "ci.yml").errors[0]!.message).toBe("An alias referenced an unknown anchor: nope");
  });

  test("a billion laughs stops at the size limit instead of exhausting memory", () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `${"abcdefghij"[i]}: &${"abcdefghij"[i]} [${Array(10)
          .fill(`*${"abcdefghij"[i - 1]}`)
          .join(",")}]`,
      );
    const { root, errors } = loadYaml(lines.join("\n"), "ci.yml");
    expect(root).toBeNull();
    expect(errors.map((e) => e.message)).toEqual(["The parsed YAML is too big"]);
  });

  test("a second document is refused unless the first is a spec header; a header takes one document after it", () => {
    expect(loadYaml("a: 1\n---\nb: 2\n", "ci.yml").errors[0]).toMatchObject({
      message: "the file holds more than one YAML document",
      line: 3,
    });
    const { root, header, errors } = loadYaml("spec:\n  inputs: {}\n---\nb: 2\n", "ci.yml");
    expect(errors).toEqual([]);
    expect(header?.kind).toBe("map");
    expect(root?.kind === "map" && [...root.pairs.keys()]).toEqual(["b"]);
    expect(loadYaml("spec: {}\n---\nb: 2\n---\nc: 3\n", "ci.yml").errors[0]).toMatchObject({
      message: "the file holds more than one YAML document",
      line: 5,
    });
  });

  test("empty and comment-only text hold no document", () => {
    expect(loadYaml("", "ci.yml")).toEqual({ root: null, errors: [] });
    expect(loadYaml("# nothing\n", "ci.yml")).toEqual({ root: null, errors: [] });
  });
});
