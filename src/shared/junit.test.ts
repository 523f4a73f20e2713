// JUnit XML as GitLab reads it: statuses, output, nesting, entities; hostile XML neither expands nor reads files.
import { expect, test } from "bun:test";
import { parseJunit } from "./junit.ts";

test("cases of nested suites with their status, time, classname and output", () => {
  const cases = parseJunit(`<?xml version="1.0"?>
<testsuites><testsuite name="outer"><testsuite name="inner">
  <testcase classname="a" name="ok &amp; fine" time="0.5" file="a_test.rb"/>
  <testcase classname="a" name="fails" time="1.25"><failure message="boom">trace &lt;1&gt;</failure></testcase>
  <testcase classname="b" name="errs"><error><![CDATA[raw <trace>]]></error></testcase>
  <testcase classname="b" name="skips"><skipped/></testcase>
  <testcase classname="b" name="prints"><system-out>hello</system-out></testcase>
</testsuite></testsuite></testsuites>`);
  expect(cases).toEqual([
    { name: "ok & fine", classname: "a", status: "success", executionTime: 0.5, systemOutput: null, file: "a_test.rb" },
    {
      name: "fails",
      classname: "a",
      status: "failed",
      executionTime: 1.25,
      systemOutput: "boom\ntrace <1>",
      file: null,
    },
    { name: "errs", classname: "b", status: "error", executionTime: 0, systemOutput: "raw <trace>", file: null },
    { name: "skips", classname: "b", status: "skipped", executionTime: 0, systemOutput: null, file: null },
    { name: "prints", classname: "b", status: "success", executionTime: 0, systemOutput: "hello", file: null },
  ]);
});

test("a lone testsuite root works; anything else is refused with a reason", () => {
  expect(parseJunit(`<testsuite><testcase name="x"/></testsuite>`)).toHaveLength(1);
  expect(() => parseJunit("<html><body/></html>")).toThrow("not a JUnit report");
});

test("an entity bomb does not expand and an external entity is not read", () => {
  const levels = Array.from({ length: 8 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join("");
  const bomb = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY l0 "lol">${levels}]><testsuite><testcase name="&l8;"/></testsuite>`;
  const started = performance.now();
  let name = "";
  try {
    name = parseJunit(bomb)[0]!.name;
  } catch {}
  expect(name.length).toBeLessThan(1000);
  expect(performance.now() - started).toBeLessThan(1000);
  const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><testsuite><testcase name="&e;"/></testsuite>`;
  let read = "";
  try {
    read = JSON.stringify(parseJunit(xxe));
  } catch {}
  expect(read).not.toContain("root:");
});
