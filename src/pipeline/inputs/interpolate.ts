// `$[[ inputs.x | function ]]` interpolation of a file with a `spec:inputs` header, as GitLab's
// `Interpolation::Interpolator` / `Template` / `Block` do it: on the loaded tree, keys and values.
import { expandKnownVariables } from "../expand/text-variables.ts";
import { isMap, isScalar, makeMap, type YMap, type YNode, type YScalar } from "../yaml/tree.ts";
import { readHeader, resolveInputs } from "./spec.ts";

const BLOCK = /\$\[\[\s*(\S.*?\S)\s*\]\]/g;
const MAX_BLOCKS = 10_000;
const MAX_FUNCTIONS = 3;
const MAX_ACCESS_OBJECTS = 5;
const MAX_ACCESS_BYTES = 1024;
const SKIPPED_CONTEXTS = new Set(["matrix"]);
/** GitLab joins at most three interpolation errors into the one message an include shows. */
const MAX_ERRORS_SHOWN = 3;

/** The included component's facts, for `$[[ component.x ]]` (`version` null when it is not a release). */
export interface ComponentFacts {
  name: string;
  sha: string | null;
  version: string | null;
  reference: string;
}

export interface InterpolationContext {
  /** When the file is a component. */
  component?: ComponentFacts;
  /** What `expand_vars` expands. */
  variables: Readonly<Record<string, string>>;
  /** Names of masked variables: `expand_vars` refuses them, as GitLab does. */
  masked?: ReadonlySet<string>;
}

/**
 * The file's configuration with its inputs interpolated, or GitLab's message (up to three errors joined). A file
 * without a header is returned as it is, and refuses any input given to it.
 */
export function interpolateFile(
  header: YNode | undefined,
  root: YNode,
  given: YNode | undefined,
  ctx: InterpolationContext,
): { root: YNode } | { error: string } {
  const args = given && isMap(given) ? given : null;
  if (!header) {
    if (args && args.pairs.size > 0)
      return { error: "Given inputs not defined in the `spec` section of the included configuration file" };
    return { root };
  }
  const read = readHeader(header);
  if ("errors" in read) return { error: shown(read.errors) };
  const inputs = resolveInputs(read.specs, args);
  if ("errors" in inputs) return { error: shown(inputs.errors) };
  const component = new Map<string, YNode>();
  for (const fact of read.component) {
    const value = ctx.component?.[fact as keyof ComponentFacts];
    // Outside a component (or a fact it does not have) the key is unknown, as in GitLab's empty context.
    if (value !== undefined && ctx.component)
      component.set(fact, { kind: "scalar", value, text: value ?? "", loc: root.loc });
  }
  const run: Run = { inputs: inputs.values, component, ctx, blocks: 0, errors: [] };
  const result = walk(root, run);
  return run.errors.length > 0 ? { error: shown(run.errors) } : { root: result };
}

const shown = (errors: string[]) => errors.slice(0, MAX_ERRORS_SHOWN).join(", ");

interface Run {
  inputs: Map<string, YNode>;
  /** The component facts the header asked for. */
  component: Map<string, YNode>;
  ctx: InterpolationContext;
  blocks: number;
  errors: string[];
}

function walk(node: YNode, run: Run): YNode {
  if (run.errors.length > 0) return node;
  switch (node.kind) {
    case "scalar":
      return typeof node.value === "string" && node.value.includes("$[[") ? interpolateString(node, run) : node;
    case "seq":
      return { ...node, items: node.items.map((item) => walk(item, run)) };
    case "reference":
      return node;
    case "map": {
      const out: YMap = makeMap(node.loc);
      for (const pair of node.pairs.values()) {
        const key = pair.key.includes("$[[")
          ? textOf(interpolateString(stringAt(pair.key, pair.keyLoc), run))
          : pair.key;
        out.pairs.set(key, { key, keyLoc: pair.keyLoc, value: walk(pair.value, run) });
      }
      return out;
    }
  }
}

function stringAt(text: string, loc: YScalar["loc"]): YScalar {
  return { kind: "scalar", value: text, text, loc };
}

/** A string made of one block takes the input's value and type; blocks inside a string are replaced by text. */
function interpolateString(node: YScalar, run: Run): YNode {
  const text = node.value as string;
  const whole = new RegExp(`^${BLOCK.source}$`).exec(text);
  if (whole) return evaluate(whole[1]!, run) ?? node;
  const replaced = text.replace(BLOCK, (block, data: string) => {
    const value = evaluate(data, run);
    return value ? textOf(value) : block;
  });
  return run.errors.length > 0 ? node : stringAt(replaced, node.loc);
}

/** One block's value: its access (`inputs.name`) through up to three functions; null after an error. */
function evaluate(data: string, run: Run): YNode | null {
  const fail = (message: string) => {
    run.errors.push(message);
    return null;
  };
  if (++run.blocks > MAX_BLOCKS) return fail("too many interpolation blocks");
  const [access = "", ...functions] = data.split("|").map((part) => part.trim());
  // `$[[ matrix.X ]]` is left for `needs:parallel:matrix` to read (GitLab's SKIP_INTERPOLATION_CONTEXTS).
  if (SKIPPED_CONTEXTS.has(access.split(".")[0]!)) return null;
  let value = readAccess(access, run);
  if (!value) return null;
  if (functions.length > MAX_FUNCTIONS) return fail("too many functions in interpolation block");
  for (const expression of functions) {
    const fn = FUNCTIONS.find((f) => f.pattern.test(expression));
    if (!fn)
      return fail(
        `no function matching \`${expression}\`: check that the function name, arguments, and types are correct`,
      );
    if (!isScalar(value) || typeof value.value !== "string")
      return fail(`invalid input type: ${fn.name} can only be used with string inputs`);
    const out = fn.apply(value.value, fn.pattern.exec(expression)!, run.ctx);
    if (typeof out !== "string") return fail(out.error);
    value = stringAt(out, value.loc);
  }
  return value;
}

function readAccess(access: string, run: Run): YNode | null {
  const objects = access.split(".");
  const errors: string[] = [];
  if (objects.length <= 1) errors.push("invalid interpolation access pattern");
  if (Buffer.byteLength(access) > MAX_ACCESS_BYTES) errors.push("maximum interpolation expression size exceeded");
  if (objects.length > MAX_ACCESS_OBJECTS)
    objects.splice(MAX_ACCESS_OBJECTS - 1, Infinity, objects.slice(MAX_ACCESS_OBJECTS - 1).join("."));
  if (errors.length > 0) {
    run.errors.push(...errors);
    return null;
  }
  const [context, name, ...rest] = objects as [string, string, ...string[]];
  const values = context === "inputs" ? run.inputs : context === "component" ? run.component : null;
  if (!values) return unknownKey(context, run);
  let value: YNode | undefined = values.get(name);
  if (!value) return unknownKey(name, run);
  for (const key of rest) {
    const next: YNode | undefined = isMap(value) ? value.pairs.get(key)?.value : undefined;
    if (!next) return unknownKey(key, run);
    value = next;
  }
  return value;
}

function unknownKey(key: string, run: Run): null {
  run.errors.push(`unknown interpolation key: \`${key}\``);
  return null;
}

interface InterpolationFunction {
  name: string;
  pattern: RegExp;
  apply(input: string, match: RegExpExecArray, ctx: InterpolationContext): string | { error: string };
}

const FUNCTIONS: InterpolationFunction[] = [
  {
    name: "truncate",
    pattern: /^truncate\(\s*(\d+)\s*,\s*(\d+)\s*\)?$/,
    apply: (input, match) => [...input].slice(Number(match[1]), Number(match[1]) + Number(match[2])).join(""),
  },
  {
    name: "expand_vars",
    pattern: /^expand_vars$/,
    apply(input, _match, ctx) {
      const masked = [...input.matchAll(/\$(?:\{(\w+)\}|(\w+))/g)].some((m) => ctx.masked?.has((m[1] ?? m[2])!));
      if (masked) return { error: "variable expansion error: masked variables cannot be expanded" };
      return expandKnownVariables(input, ctx.variables);
    },
  },
  { name: "posix_escape", pattern: /^posix_escape$/, apply: posixEscape },
];

/** Ruby's `Shellwords.shellescape`. */
function posixEscape(input: string): string {
  if (input === "") return "''";
  return input.replace(/[^A-Za-z0-9_\-.,:+/@\n]/g, "\\$&").replace(/\n/g, "'\n'");
}

/** Ruby's `to_s` of a value put inside a string (`inspect` for lists and hashes). */
function textOf(node: YNode): string {
  if (isScalar(node)) return node.text;
  return inspect(node);
}

function inspect(node: YNode): string {
  switch (node.kind) {
    case "scalar":
      return typeof node.value === "string" ? JSON.stringify(node.value) : node.value === null ? "nil" : node.text;
    case "seq":
      return `[${node.items.map(inspect).join(", ")}]`;
    case "map":
      return `{${[...node.pairs.values()].map((p) => `${JSON.stringify(p.key)} => ${inspect(p.value)}`).join(", ")}}`;
    case "reference":
      return "nil";
  }
}
