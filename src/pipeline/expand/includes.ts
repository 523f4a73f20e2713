// `include:` — local files (paths and globs) and other projects' files, each entry kept or skipped by its `rules`,
// nested up to GitLab's limit, and merged.
import { at } from "../config/check.ts";
import type { RuleDef } from "../config/model.ts";
import { INCLUDE_RULES, readRules } from "../config/rules.ts";
import type { Problems } from "../errors.ts";
import { firstMatchingRule } from "../evaluate/rules.ts";
import type { PipelineContext, RepositoryFiles } from "../types.ts";
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
const ENTRY_KEYS = new Set(["local", "project", "file", "ref", "rules", "template"]);
const REFUSED = new Set(["remote", "artifact", "component", "inputs", "job", "integrity"]);

/** The repository a file was read from: its files, and how its name is shown in messages (`""` for this one). */
interface Scope {
  repo: RepositoryFiles | null;
  /** `group/project@ref` for another project's files; empty for the pipeline's own repository. */
  name: string;
}

interface IncludeRun {
  /** The pipeline's own repository: it alone can open other projects. */
  own: RepositoryFiles | null;
  variables: Readonly<Record<string, string>>;
  ctx: PipelineContext;
  problems: Problems;
  /** Files already merged (each file is merged once), the main file included, by scope and path. */
  seen: Set<string>;
  count: number;
  bytes: number;
}

/** One file an include entry names: where it is, and the name its errors show. */
interface Source {
  scope: Scope;
  path: string;
  shown: string;
  /** The message when it does not exist / is empty, GitLab's wording for its kind. */
  missing: string;
  empty: string;
}

/**
 * The configuration with every `include` resolved: included files are deep-merged in order, then `root` over them
 * (the including file wins). `variables` expand `$VAR` in paths and are what `include:rules:if` sees; `ctx` (when
 * known: not for lint) gives `rules:changes` the pushed paths. Errors go to `problems`; failed includes are skipped.
 */
export function expandIncludes(
  root: YMap,
  mainFile: string,
  repo: RepositoryFiles | null,
  variables: Readonly<Record<string, string>>,
  problems: Problems,
  ctx?: PipelineContext,
): YMap {
  const context = ctx ?? { variables: { ...variables }, ref: "", tag: false, source: "push" };
  const run = { own: repo, variables, ctx: context, problems, seen: new Set([`:${mainFile}`]), count: 0, bytes: 0 };
  return expand(root, { repo, name: "" }, run);
}

function expand(config: YMap, scope: Scope, run: IncludeRun): YMap {
  const include = config.pairs.get("include");
  if (!include) return config;
  const own = makeMap(
    config.loc,
    [...config.pairs.values()].filter((pair) => pair.key !== "include"),
  );
  let merged = makeMap(config.loc);
  for (const entry of entriesOf(include.value)) {
    for (const source of sourcesOf(entry, scope, run)) {
      const file = readIncluded(source, entry, run);
      if (file) merged = deepMerge(merged, expand(file, source.scope, run));
    }
  }
  return deepMerge(merged, own);
}

function entriesOf(node: YNode): YNode[] {
  if (node.kind === "seq") return node.items;
  return node.kind === "scalar" && node.value === null ? [] : [node];
}

/**
 * The files one include entry names, after checking its form and its `rules`, each with the name its errors show:
 * the path as written (variables expanded), so that masking a variable's value in the message also finds it there.
 */
function sourcesOf(entry: YNode, scope: Scope, run: IncludeRun): Source[] {
  const fail = (message: string): [] => {
    run.problems.add(entry.loc, message);
    return [];
  };
  if (entry.kind === "scalar" && typeof entry.value === "string") {
    const written = expandKnownVariables(entry.value, run.variables);
    if (/^https?:\/\//i.test(written)) return fail("include config uses unsupported keyword: remote");
    return localSources(entry, written, scope, run);
  }
  if (!isMap(entry)) return fail("Each include must be a hash or a string");
  const keys = [...entry.pairs.keys()];
  const refused = keys.find((key) => REFUSED.has(key));
  if (refused) return fail(`include config uses unsupported keyword: ${refused}`);
  const unknown = keys.filter((key) => !ENTRY_KEYS.has(key));
  if (unknown.length > 0) return fail(`include config contains unknown keys: ${unknown.join(", ")}`);
  const value = (key: string) => entry.pairs.get(key)?.value;
  const template = value("template");
  if (template) return fail(templateMessage(template));
  const rulesNode = value("rules");
  if (rulesNode) {
    const before = run.problems.errors.length;
    const rules = readRules(at(run.problems, "include:rules"), rulesNode, INCLUDE_RULES);
    if (!rules || run.problems.errors.length > before || !included(rules, scope, run)) return [];
  }
  const local = value("local");
  const project = value("project");
  if (local && !project && !value("file") && !value("ref")) {
    const written = textOf(local);
    if (written === undefined) return fail(`Included file \`${describe(local)}\` needs to be a string`);
    return localSources(entry, expandKnownVariables(written, run.variables), scope, run);
  }
  if (project && !local) return projectSources(entry, entry.pairs, run);
  if (!project && value("file")) return fail("include config uses unsupported keyword: file");
  return fail(
    `\`${describe(entry)}\` does not have a valid subkey for include. Valid subkeys are: \`${SUBKEYS.join("`, `")}\``,
  );
}

/** `include:rules`: the entry is read when a rule matches and its `when` is not `never` (GitLab's `Rules`). */
function included(rules: RuleDef[], scope: Scope, run: IncludeRun): boolean {
  const rule = firstMatchingRule(rules, { variables: run.variables, ctx: run.ctx, repo: scope.repo });
  return rule !== null && rule.when !== "never";
}

function localSources(entry: YNode, written: string, scope: Scope, run: IncludeRun): Source[] {
  const fail = (message: string): [] => {
    run.problems.add(entry.loc, message);
    return [];
  };
  const path = normalizeRepoPath(written);
  if (path === null) return fail(`Included file \`${written}\` is outside the repository`);
  if (!scope.repo) return fail(`Local file \`${written}\` does not have project!`);
  const local = (shown: string) => ({
    missing: scope.name
      ? `Project \`${projectOf(scope)}\` file \`${shown}\` does not exist!`
      : `Local file \`${shown}\` does not exist!`,
    empty: scope.name
      ? `Project \`${projectOf(scope)}\` file \`${shown}\` is empty!`
      : `Local file \`${shown}\` is empty!`,
  });
  if (!path.includes("*")) return [{ scope, path, shown: written, ...local(written) }];
  return matchIncludeGlob(path, scope.repo.list()).map((match) => ({
    scope,
    path: match,
    shown: match,
    ...local(match),
  }));
}

/** `include: {project, ref, file}`: `file` one path or a list, read from that project at `ref` (its HEAD when not written). */
function projectSources(entry: YNode, pairs: YMap["pairs"], run: IncludeRun): Source[] {
  const fail = (message: string): [] => {
    run.problems.add(entry.loc, message);
    return [];
  };
  const value = (key: string) => pairs.get(key)?.value;
  const projectText = textOf(value("project"));
  if (projectText === undefined) return fail("include project should be a string");
  const fileNode = value("file");
  if (!fileNode) return fail("include config missing required keys: file");
  const files = fileNode.kind === "seq" ? fileNode.items.map(textOf) : [textOf(fileNode)];
  if (files.length === 0 || files.some((f) => f === undefined))
    return fail("include file should be a string or an array of strings");
  const refNode = value("ref");
  const refText = refNode ? textOf(refNode) : "HEAD";
  if (refText === undefined) return fail("include ref should be a string");
  const project = expandKnownVariables(projectText, run.variables).toLowerCase();
  const ref = expandKnownVariables(refText, run.variables);
  // Only the pipeline's own repository knows the pipeline's user; a nested project include asks it too.
  const opened = run.own?.openProject?.(project, ref) ?? "not_found";
  if (opened === "not_found")
    return fail(
      `Project \`${project}\` not found or access denied! Make sure any includes in the pipeline configuration are correctly defined.`,
    );
  if (opened === "no_ref") return fail(`Project \`${project}\` reference \`${ref}\` does not exist!`);
  const target: Scope = { repo: opened, name: `${project}@${ref}` };
  return (files as string[]).flatMap((file) => {
    const written = expandKnownVariables(file, run.variables);
    const path = normalizeRepoPath(written);
    if (path === null) return fail(`Included file \`${written}\` is outside the repository`);
    return [
      {
        scope: target,
        path,
        shown: written,
        missing: `Project \`${project}\` file \`${written}\` does not exist!`,
        empty: `Project \`${project}\` file \`${written}\` is empty!`,
      },
    ];
  });
}

/** The included file's configuration, or null (after reporting) when it cannot be used or was merged already. */
function readIncluded(source: Source, entry: YNode, run: IncludeRun): YMap | null {
  const fail = (message: string): null => {
    run.problems.add(entry.loc, message);
    return null;
  };
  const { scope, path, shown } = source;
  if (++run.count > MAX_INCLUDES) return fail(`Maximum of ${MAX_INCLUDES} nested includes are allowed!`);
  if (!hasYamlExtension(path)) return fail(`Included file \`${shown}\` does not have YAML extension!`);
  const key = `${scope.name}:${path}`;
  if (run.seen.has(key)) return null;
  run.seen.add(key);
  const text = scope.repo?.read(path) ?? null;
  if (text === null) return fail(source.missing);
  if (text.trim() === "") return fail(source.empty);
  run.bytes += text.length;
  if (run.bytes > MAX_INCLUDED_BYTES) return fail("Total size of combined CI/CD configuration is too big");
  const loaded = loadYamlCached(text, scope.name ? `${scope.name}:${path}` : path);
  if (loaded.errors.length > 0) {
    run.problems.addAll(loaded.errors);
    return null;
  }
  if (!isMap(loaded.root)) return fail(`Included file \`${shown}\` does not have valid YAML syntax!`);
  return loaded.root;
}

/** porthole ships none of GitLab's templates: say how to vendor one and include it from a project instead. */
function templateMessage(node: YNode): string {
  const name = textOf(node) ?? describe(node);
  return (
    `Included template \`${name}\`: porthole does not ship GitLab's CI/CD templates. ` +
    `Copy the template into a repository of a porthole project (for example \`templates/${name}\` in \`group/ci-templates\`) ` +
    `and include it with \`include: [{project: group/ci-templates, file: templates/${name}}]\``
  );
}

// A project path has no `@`; a ref may.
const projectOf = (scope: Scope) => scope.name.slice(0, scope.name.indexOf("@"));

function textOf(node: YNode | undefined): string | undefined {
  return node?.kind === "scalar" && typeof node.value === "string" ? node.value : undefined;
}

function describe(node: YNode): string {
  if (node.kind === "scalar") return node.text;
  if (node.kind === "map") return `{${[...node.pairs.keys()].map((k) => JSON.stringify(k)).join(", ")}}`;
  return node.kind === "seq" ? "[...]" : "!reference";
}
