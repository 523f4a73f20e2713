// `include:` — local files (paths and globs), other projects' files, components and remote files, each entry kept or
// skipped by its `rules`, interpolated with its `inputs`, nested up to GitLab's limit, and merged.
import { at } from "../config/check.ts";
import type { RuleDef } from "../config/model.ts";
import { INCLUDE_RULES, readRules } from "../config/rules.ts";
import type { Problems } from "../errors.ts";
import { firstMatchingRule } from "../evaluate/rules.ts";
import { type ComponentFacts, interpolateFile } from "../inputs/interpolate.ts";
import type { IncludedFile, IncludeSources, PipelineContext, RepositoryFiles } from "../types.ts";
import { loadYamlCached } from "../yaml/cache.ts";
import { isMap, makeMap, toPlain, type YMap, type YNode } from "../yaml/tree.ts";
import { deepMerge } from "./deep-merge.ts";
import { componentFile, componentPrefix, parseComponentAddress } from "./include-component.ts";
import { hasYamlExtension, matchIncludeGlob, normalizeRepoPath } from "./include-paths.ts";
import { expandKnownVariables } from "./text-variables.ts";

/** GitLab's limit on included files per pipeline, nested ones counted. */
export const MAX_INCLUDES = 150;
/** Limit on the text of all included files together. */
export const MAX_INCLUDED_BYTES = 10 * 1024 * 1024;
const SUBKEYS = ["local", "project", "remote", "template", "artifact", "component"];
const ENTRY_KEYS = new Set(["local", "project", "file", "ref", "rules", "template", "component", "remote", "inputs"]);
const REFUSED = new Set(["artifact", "job", "integrity"]);

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
  sources: IncludeSources;
  problems: Problems;
  /** Files already merged (each file is merged once), the main file included, by scope and path. */
  seen: Set<string>;
  count: number;
  bytes: number;
  /** The files read, for lint's `includes`. */
  included: IncludedFile[];
}

/** One file an include entry names: where it is, and the name its errors show. */
interface Source {
  type: IncludedFile["type"];
  /** `include:project`'s project and ref. */
  extra?: Record<string, string>;
  scope: Scope;
  path: string;
  shown: string;
  /** The message when it does not exist / is empty, GitLab's wording for its kind. */
  missing: string;
  empty: string;
  /** The text when it was not read from `scope` (a remote file). */
  text?: string;
  /** The entry's `inputs`, for a file with a `spec:inputs` header. */
  inputs?: YNode;
  /** What a component's file may interpolate about itself. */
  component?: ComponentFacts;
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
  sources: IncludeSources = {},
  /** Filled with every file read. */
  included: IncludedFile[] = [],
): YMap {
  const context = ctx ?? { variables: { ...variables }, ref: "", tag: false, source: "push" };
  const seen = new Set([`:${mainFile}`]);
  const run = { own: repo, variables, ctx: context, sources, problems, seen, count: 0, bytes: 0, included };
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
      if (!file) continue;
      run.included.push({
        type: source.type,
        location: source.shown,
        blob: null,
        raw: source.type === "remote" ? source.shown : null,
        extra: source.extra ?? {},
        context_project: scope.name ? projectOf(scope) : null,
        context_sha: scope.repo?.sha ?? null,
      });
      merged = deepMerge(merged, expand(file, source.scope, run));
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
    if (/^https?:\/\//i.test(written)) return remoteSources(entry, entry, run);
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
  const inputs = value("inputs");
  if (inputs && !isMap(inputs) && !(inputs.kind === "scalar" && inputs.value === null))
    return fail("include inputs should be a hash");
  const withInputs = (sources: Source[]) => (inputs ? sources.map((source) => ({ ...source, inputs })) : sources);
  const local = value("local");
  const project = value("project");
  const written = [local, project, value("component"), value("remote")].filter(Boolean);
  if (written.length > 1)
    return fail(
      `\`${describe(entry)}\` does not have a valid subkey for include. Valid subkeys are: \`${SUBKEYS.join("`, `")}\``,
    );
  if (local && !value("file") && !value("ref")) {
    const path = textOf(local);
    if (path === undefined) return fail(`Included file \`${describe(local)}\` needs to be a string`);
    return withInputs(localSources(entry, expandKnownVariables(path, run.variables), scope, run));
  }
  if (project) return withInputs(projectSources(entry, entry.pairs, run));
  if (value("component")) return withInputs(componentSources(entry, value("component")!, run));
  if (value("remote")) return withInputs(remoteSources(entry, value("remote")!, run));
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
  if (!path.includes("*")) return [{ type: "local", scope, path, shown: written, ...local(written) }];
  return matchIncludeGlob(path, scope.repo.list()).map((match) => ({
    type: "local" as const,
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
  if (opened === "not_found") {
    const message = `Project \`${project}\` not found or access denied! Make sure any includes in the pipeline configuration are correctly defined.`;
    run.problems.add(entry.loc, message);
    return [];
  }
  if (opened === "no_ref") return fail(`Project \`${project}\` reference \`${ref}\` does not exist!`);
  const target: Scope = { repo: opened, name: `${project}@${ref}` };
  return (files as string[]).flatMap((file) => {
    const written = expandKnownVariables(file, run.variables);
    const path = normalizeRepoPath(written);
    if (path === null) return fail(`Included file \`${written}\` is outside the repository`);
    return [
      {
        type: "file" as const,
        extra: { project, ref },
        scope: target,
        path,
        shown: written,
        missing: `Project \`${project}\` file \`${written}\` does not exist!`,
        empty: `Project \`${project}\` file \`${written}\` is empty!`,
      },
    ];
  });
}

/**
 * `include: {component}`: the component's file in its project at the version, read if the pipeline's user may
 * read that project's code (asked of the pipeline's own repository, as for `include:project`).
 */
function componentSources(entry: YNode, node: YNode, run: IncludeRun): Source[] {
  const fail = (message: string): [] => {
    run.problems.add(entry.loc, message);
    return [];
  };
  const text = textOf(node);
  if (text === undefined) return fail(`Included file \`${describe(node)}\` needs to be a string`);
  // GitLab's message without a project (a file given inline, lint without a project or a user).
  if (!run.own?.openProject) return fail("Unable to use components outside of a project context");
  const address = expandKnownVariables(text, run.variables);
  const prefix = componentPrefix(address);
  const hosts = [run.variables.CI_SERVER_FQDN, run.variables.CI_SERVER_HOST].filter((h): h is string => !!h);
  const target = parseComponentAddress(address, hosts);
  if (!target) return fail(`${prefix} the component path is not supported`);
  const opened = run.own.openProject(target.project, target.version);
  if (opened === "not_found") return fail(`${prefix} project does not exist or you don't have sufficient permissions`);
  if (opened === "no_ref" && target.version === "~latest")
    return fail(
      `${prefix} The ~latest version reference is not supported for non-catalog resources. Use a tag, branch, or commit SHA instead.`,
    );
  const path = opened === "no_ref" ? null : componentFile(target.name, opened.list());
  if (opened === "no_ref" || path === null) return fail(`${prefix} content not found`);
  const missing = `${prefix} content not found`;
  const scope: Scope = { repo: opened, name: `${target.project}@${target.version}` };
  const component = {
    name: target.name,
    sha: opened.sha ?? null,
    version: opened.release ?? null,
    reference: target.version,
  };
  return [{ type: "component", scope, path, shown: address, missing, empty: missing, component }];
}

/** `include: {remote}` (or a URL written as the entry): the text the caller fetched; its nested local files are this project's. */
function remoteSources(entry: YNode, node: YNode, run: IncludeRun): Source[] {
  const fail = (message: string): [] => {
    run.problems.add(entry.loc, message);
    return [];
  };
  const text = textOf(node);
  if (text === undefined) return fail(`Included file \`${describe(node)}\` needs to be a string`);
  const url = expandKnownVariables(text, run.variables);
  if (!URL.canParse(url) || !/^https?:$/i.test(new URL(url).protocol))
    return fail(`Remote file \`${url}\` does not have a valid address!`);
  if (!hasYamlExtension(new URL(url).pathname)) return fail(`Included file \`${url}\` does not have YAML extension!`);
  const fetched = run.sources.remote?.get(url);
  if (!fetched) {
    // Without a fetcher (the compiler called on its own, in tests) remote files are not read.
    return fail(`Remote file \`${url}\` could not be fetched: no remote files are read here`);
  }
  if ("error" in fetched) return fail(fetched.error);
  const missing = `Included file \`${url}\` is empty or does not exist!`;
  const scope: Scope = { repo: run.own, name: "" };
  return [{ type: "remote", scope, path: `remote:${url}`, shown: url, missing, empty: missing, text: fetched.text }];
}

/** The included file's configuration, or null (after reporting) when it cannot be used or was merged already. */
function readIncluded(source: Source, entry: YNode, run: IncludeRun): YMap | null {
  const fail = (message: string): null => {
    run.problems.add(entry.loc, message);
    return null;
  };
  const { scope, path, shown } = source;
  if (++run.count > MAX_INCLUDES) return fail(`Maximum of ${MAX_INCLUDES} nested includes are allowed!`);
  if (source.text === undefined && !hasYamlExtension(path))
    return fail(`Included file \`${shown}\` does not have YAML extension!`);
  // The same file with other inputs is another configuration (GitLab tells includes apart by all their params).
  const key = `${scope.name}:${path}${source.inputs ? `:${JSON.stringify(toPlain(source.inputs))}` : ""}`;
  if (run.seen.has(key)) return null;
  run.seen.add(key);
  const text = source.text ?? scope.repo?.read(path) ?? null;
  if (text === null) return fail(source.missing);
  if (text.trim() === "") return fail(source.empty);
  run.bytes += text.length;
  if (run.bytes > MAX_INCLUDED_BYTES) return fail("Total size of combined CI/CD configuration is too big");
  const loaded = loadYamlCached(text, source.text !== undefined ? shown : scope.name ? `${scope.name}:${path}` : path);
  if (loaded.errors.length > 0) {
    run.problems.addAll(loaded.errors);
    return null;
  }
  if (!loaded.root) return fail(`Included file \`${shown}\` does not have valid YAML syntax!`);
  const interpolated = interpolateFile(loaded.header, loaded.root, source.inputs, {
    variables: run.variables,
    ...(source.component ? { component: source.component } : {}),
    ...(run.sources.masked ? { masked: run.sources.masked } : {}),
  });
  if ("error" in interpolated) return fail(`\`${shown}\`: ${interpolated.error}`);
  if (!isMap(interpolated.root)) return fail(`Included file \`${shown}\` does not have valid YAML syntax!`);
  return interpolated.root;
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
