// `spec:inputs` headers and the values `include:inputs` gives them, checked with GitLab's messages
// (its `Header::Root/Spec/Input` entries and `Interpolation::Inputs`).
import { RE2JS } from "re2js";
import { isMap, isScalar, toPlain, type YMap, type YNode } from "../yaml/tree.ts";

export const INPUT_TYPES = ["array", "boolean", "number", "string"] as const;
type InputType = (typeof INPUT_TYPES)[number];
const INPUT_KEYS = new Set(["default", "description", "options", "regex", "type"]);
const MAX_OPTIONS = 50;
/** What `spec:component` may list: the component's facts a file can interpolate (`$[[ component.name ]]`). */
export const COMPONENT_FACTS = ["name", "sha", "version", "reference"] as const;

export interface InputSpec {
  type: InputType;
  /** Absent: the input is required. */
  default?: YNode;
  options?: unknown[];
  regex?: string;
}

/** The inputs a header declares, or GitLab's errors for the header (`header:spec:inputs:x …`). */
export function readHeader(
  header: YNode,
): { specs: Map<string, InputSpec>; component: string[] } | { errors: string[] } {
  const errors: string[] = [];
  const specs = new Map<string, InputSpec>();
  if (!isMap(header)) return { errors: ["header config should be a hash"] };
  const unknown = [...header.pairs.keys()].filter((k) => k !== "spec");
  if (unknown.length > 0) errors.push(`header config contains unknown keys: ${unknown.join(", ")}`);
  const spec = header.pairs.get("spec")?.value;
  if (!spec || (isScalar(spec) && spec.value === null)) return errors.length ? { errors } : { specs, component: [] };
  if (!isMap(spec)) return { errors: [...errors, "header:spec config should be a hash"] };
  const unknownSpec = [...spec.pairs.keys()].filter((k) => k !== "inputs" && k !== "component");
  if (unknownSpec.length > 0) errors.push(`header:spec config contains unknown keys: ${unknownSpec.join(", ")}`);
  const inputs = spec.pairs.get("inputs")?.value;
  if (inputs && !(isScalar(inputs) && inputs.value === null)) {
    if (!isMap(inputs)) errors.push("header:spec:inputs config should be a hash");
    else
      for (const [name, pair] of inputs.pairs) readInput(`header:spec:inputs:${name}`, name, pair.value, specs, errors);
  }
  const component = readComponentFacts(spec.pairs.get("component")?.value, errors);
  return errors.length > 0 ? { errors } : { specs, component };
}

/** `spec:component`: a list of COMPONENT_FACTS. */
function readComponentFacts(node: YNode | undefined, errors: string[]): string[] {
  if (!node || (isScalar(node) && node.value === null)) return [];
  const items = node.kind === "seq" ? node.items.map((item) => (isScalar(item) ? item.value : null)) : null;
  if (!items || items.some((item) => typeof item !== "string")) {
    errors.push("header:spec:component config should be an array of strings");
    return [];
  }
  const unknown = items.filter((item) => !(COMPONENT_FACTS as readonly unknown[]).includes(item));
  if (unknown.length > 0) errors.push(`header:spec:component config contains unknown values: ${unknown.join(", ")}`);
  return [...new Set(items as string[])];
}

function readInput(where: string, name: string, node: YNode, specs: Map<string, InputSpec>, errors: string[]): void {
  if (isScalar(node) && node.value === null) {
    specs.set(name, { type: "string" });
    return;
  }
  if (!isMap(node)) {
    errors.push(`${where} config should be a hash`);
    return;
  }
  const before = errors.length;
  const unknown = [...node.pairs.keys()].filter((k) => !INPUT_KEYS.has(k));
  if (unknown.length > 0) errors.push(`${where} config contains unknown keys: ${unknown.join(", ")}`);
  const value = (key: string) => node.pairs.get(key)?.value;
  const type = value("type");
  const typeName = type ? toPlain(type) : "string";
  if (!INPUT_TYPES.includes(typeName as InputType)) errors.push(`${where} input type unknown value: ${typeName}`);
  const regex = value("regex");
  if (regex && !(isScalar(regex) && typeof regex.value === "string"))
    errors.push(`${where} input regex should be a string`);
  const options = value("options");
  if (options && options.kind !== "seq") errors.push(`${where} input options should be an array`);
  if (options?.kind === "seq" && options.items.length > MAX_OPTIONS)
    errors.push(`${where} config cannot define more than ${MAX_OPTIONS} options`);
  if (errors.length > before) return;
  specs.set(name, {
    type: typeName as InputType,
    ...(node.pairs.has("default") ? { default: value("default")! } : {}),
    ...(options?.kind === "seq" ? { options: options.items.map(toPlain) } : {}),
    ...(regex ? { regex: String(toPlain(regex)) } : {}),
  });
}

/**
 * Each declared input's value: the one given, else its default. Errors are GitLab's, each as
 * `` `name` input: … `` (unknown names in one message first).
 */
export function resolveInputs(
  specs: Map<string, InputSpec>,
  given: YMap | null,
): { values: Map<string, YNode> } | { errors: string[] } {
  const errors: string[] = [];
  const args = new Map<string, YNode>();
  for (const [name, pair] of given?.pairs ?? [])
    if (!(isScalar(pair.value) && pair.value.value === null)) args.set(name, pair.value);
  const unknown = [...(given?.pairs.keys() ?? [])].filter((name) => !specs.has(name));
  if (unknown.length > 0) errors.push(`unknown input arguments: ${unknown.join(", ")}`);
  const values = new Map<string, YNode>();
  for (const [name, spec] of specs) {
    const fail = (message: string) => errors.push(`\`${name}\` input: ${message}`);
    const value = args.get(name);
    if (spec.default === undefined && value === undefined) {
      fail("required value has not been provided");
      continue;
    }
    const before = errors.length;
    if (spec.default !== undefined) check(spec, spec.default, true, fail);
    if (value !== undefined) check(spec, value, false, fail);
    if (errors.length === before) values.set(name, (value ?? spec.default)!);
  }
  return errors.length > 0 ? { errors } : { values };
}

function check(spec: InputSpec, node: YNode, isDefault: boolean, fail: (message: string) => void): void {
  const which = isDefault ? "default" : "provided";
  const plain = node.kind === "reference" ? null : toPlain(node);
  const typed = spec.type === "array" ? node.kind === "seq" : isScalar(node) && typeof node.value === spec.type;
  if (!typed) fail(`${which} value is not a${spec.type === "array" ? "n" : ""} ${spec.type}`);
  if (spec.options) {
    if (spec.type !== "string" && spec.type !== "number")
      fail("Options can only be used with string and number inputs");
    else if (!spec.options.includes(plain)) {
      const list = spec.type === "number" ? "the list of the allowed options" : "the list of allowed options";
      fail(`\`${String(plain)}\` cannot be used because it is not in ${list}`);
    }
  }
  if (spec.regex === undefined) return;
  if (spec.type !== "string") fail("RegEx validation can only be used with string inputs");
  else if (typeof plain === "string") {
    const re = compileRegex(spec.regex);
    if (!re) fail("invalid regular expression");
    else if (!re.matcher(plain).find()) fail(`${which} value does not match required RegEx pattern`);
  }
}

function compileRegex(source: string): RE2JS | null {
  try {
    return RE2JS.compile(source);
  } catch {
    return null;
  }
}
