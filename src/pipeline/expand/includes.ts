// `include:` — reads local files (paths and globs) from the repository, nested up to GitLab's limit, and merges them.
import type { Problems } from "../errors.ts";
import type { RepositoryFiles } from "../types.ts";
import { loadYamlCached } from "../yaml/cache.ts";
import { isMap, makeMap, type YMap, type YNode } from "../yaml/tree.ts";
import { deepMerge } from "./deep-merge.ts";
import { hasYamlExtension, matchIncludeGlob, normalizeRepoPath } from "./include-paths.ts";
import { expandKnownVariables } from "./text-variables.ts";

/** GitLab's limit on included files per pipeline, nested ones counted. */
export const MAX_INCLUDES = 150;
/** Limit on the text of all included files together. */
export const MAX_INCLUDED_BYTES = 10 * 1024 * 1024;
const SUBKEYS = ["local", "project", "remote", "template", "artifact", "component"];
const REFUSED = new Set([...SUBKEYS.slice(1), "file", "ref", "inputs", "rules", "job", "integrity"]);

interface IncludeRun {
  repo: RepositoryFiles | null;
  variables: Readonly<Record<string, string>>;
  problems: Problems;
  /** Files already merged (each file is merged once), the main file included. */
  seen: Set<string>;
  count: number;
  bytes: number;
}

/**
 * The configuration with every `include` resolved: included files are deep-merged in order, then `root` over them
 * (the including file wins). `variables` expand `$VAR` in paths. Errors go to `problems`; failed includes are skipped.
 */
export function expandIncludes(
  root: YMap,
  mainFile: string,
  repo: RepositoryFiles | null,
  variables: Readonly<Record<string, string>>,
  problems: Problems,
): YMap {
  return expand(root, { repo, variables, problems, seen: new Set([mainFile]), count: 0, bytes: 0 });
}

function expand(config: YMap, run: IncludeRun): YMap {
  const include = config.pairs.get("include");
  if (!include) return config;
  const own = makeMap(
    config.loc,
    [...config.pairs.values()].filter((pair) => pair.key !== "include"),
  );
  let merged = makeMap(config.loc);
  for (const entry of entriesOf(include.value)) {
    for (const { path, shown } of localPaths(entry, run)) {
      const file = readIncluded(path, shown, entry, run);
      if (file) merged = deepMerge(merged, expand(file, run));
    }
  }
  return deepMerge(merged, own);
}

function entriesOf(node: YNode): YNode[] {
  if (node.kind === "seq") return node.items;
  return node.kind === "scalar" && node.value === null ? [] : [node];
}

/**
 * The repository paths one include entry names, after checking its form, each with the name its errors show: the
 * path as written (variables expanded), so that masking a variable's value in the message also finds it there.
 */
function localPaths(entry: YNode, run: IncludeRun): { path: string; shown: string }[] {
  const fail = (message: string): [] => {
    run.problems.add(entry.loc, message);
    return [];
  };
  let raw: YNode | undefined = entry;
  if (isMap(entry)) {
    const keys = [...entry.pairs.keys()];
    const refused = keys.find((key) => REFUSED.has(key));
    if (refused) return fail(`include config uses unsupported keyword: ${refused}`);
    const unknown = keys.filter((key) => key !== "local");
    if (unknown.length > 0) return fail(`include config contains unknown keys: ${unknown.join(", ")}`);
    raw = entry.pairs.get("local")?.value;
    if (!raw)
      return fail(
        `\`${describe(entry)}\` does not have a valid subkey for include. Valid subkeys are: \`${SUBKEYS.join("`, `")}\``,
      );
  } else if (entry.kind !== "scalar" || typeof entry.value !== "string") {
    return fail("Each include must be a hash or a string");
  }
  if (raw.kind !== "scalar" || typeof raw.value !== "string")
    return fail(`Included file \`${describe(raw)}\` needs to be a string`);
  const written = expandKnownVariables(raw.value, run.variables);
  if (entry.kind === "scalar" && /^https?:\/\//i.test(written))
    return fail("include config uses unsupported keyword: remote");
  const path = normalizeRepoPath(written);
  if (path === null) return fail(`Included file \`${written}\` is outside the repository`);
  if (!run.repo) return fail(`Local file \`${written}\` does not have project!`);
  if (!path.includes("*")) return [{ path, shown: written }];
  return matchIncludeGlob(path, run.repo.list()).map((match) => ({ path: match, shown: match }));
}

/** The included file's configuration, or null (after reporting) when it cannot be used or was merged already. */
function readIncluded(path: string, shown: string, entry: YNode, run: IncludeRun): YMap | null {
  const fail = (message: string): null => {
    run.problems.add(entry.loc, message);
    return null;
  };
  if (++run.count > MAX_INCLUDES) return fail(`Maximum of ${MAX_INCLUDES} nested includes are allowed!`);
  if (!hasYamlExtension(path)) return fail(`Included file \`${shown}\` does not have YAML extension!`);
  if (run.seen.has(path)) return null;
  run.seen.add(path);
  const text = run.repo?.read(path) ?? null;
  if (text === null) return fail(`Local file \`${shown}\` does not exist!`);
  if (text.trim() === "") return fail(`Local file \`${shown}\` is empty!`);
  run.bytes += text.length;
  if (run.bytes > MAX_INCLUDED_BYTES) return fail("Total size of combined CI/CD configuration is too big");
  const loaded = loadYamlCached(text, path);
  if (loaded.errors.length > 0) {
    run.problems.addAll(loaded.errors);
    return null;
  }
  if (!isMap(loaded.root)) return fail(`Included file \`${shown}\` does not have valid YAML syntax!`);
  return loaded.root;
}

function describe(node: YNode): string {
  if (node.kind === "scalar") return node.text;
  if (node.kind === "map") return `{${[...node.pairs.keys()].map((k) => JSON.stringify(k)).join(", ")}}`;
  return node.kind === "seq" ? "[...]" : "!reference";
}
