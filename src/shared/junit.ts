// JUnit XML (`artifacts:reports:junit`) to test cases, as GitLab reads it: testsuites › testsuite › testcase.
import { XMLParser } from "fast-xml-parser";

export type CaseStatus = "success" | "failed" | "error" | "skipped";

export interface TestCase {
  name: string;
  classname: string;
  status: CaseStatus;
  /** Seconds. */
  executionTime: number;
  /** The failure's or error's message and text, else the case's system-out. */
  systemOutput: string | null;
  file: string | null;
}

type Node = Record<string, unknown>;
const SUITES = new Set(["testsuites", "testsuite", "testcase", "failure", "error", "skipped"]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  textNodeName: "#text",
  processEntities: true,
  isArray: (name) => SUITES.has(name),
  parseAttributeValue: false,
  parseTagValue: false,
});

/** The cases of one report file; throws with a message naming the problem when it is not JUnit XML. */
export function parseJunit(xml: string): TestCase[] {
  const doc = parser.parse(xml) as Node;
  const cases: TestCase[] = [];
  const visit = (node: Node) => {
    for (const suite of list(node.testsuites)) visit(suite);
    for (const suite of list(node.testsuite)) visit(suite);
    for (const c of list(node.testcase)) cases.push(toCase(c));
  };
  visit(doc);
  if (!("testsuites" in doc) && !("testsuite" in doc))
    throw new Error("not a JUnit report (no testsuites or testsuite)");
  return cases;
}

const list = (value: unknown): Node[] => (Array.isArray(value) ? (value as Node[]) : []);
const text = (value: unknown): string => {
  if (typeof value === "string") return value;
  if (value && typeof value === "object") {
    const node = value as Node;
    return [node.message, node["#text"]].filter((v) => typeof v === "string" && v !== "").join("\n");
  }
  return "";
};

function toCase(c: Node): TestCase {
  const failure = list(c.failure)[0];
  const error = list(c.error)[0];
  const skipped = c.skipped !== undefined;
  const status: CaseStatus =
    failure !== undefined ? "failed" : error !== undefined ? "error" : skipped ? "skipped" : "success";
  const output = text(failure ?? error) || text(c["system-out"]);
  const time = Number.parseFloat(String(c.time ?? "0"));
  return {
    name: String(c.name ?? ""),
    classname: String(c.classname ?? ""),
    status,
    executionTime: Number.isFinite(time) ? time : 0,
    systemOutput: output === "" ? null : output,
    file: typeof c.file === "string" ? c.file : null,
  };
}
