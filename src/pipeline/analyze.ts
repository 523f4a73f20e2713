// Reads and checks a CI file without a ref: YAML, includes, extends, `!reference`, every keyword, the job graph.

import type { ConfigDef } from "./config/model.ts";
import { readConfig } from "./config/root.ts";
import { MAIN_FILE, Problems } from "./errors.ts";
import { expandExtends } from "./expand/extends.ts";
import { expandIncludes } from "./expand/includes.ts";
import { resolveReferences } from "./expand/references.ts";
import { withinExpandedSize } from "./expand/size.ts";
import { interpolateFile } from "./inputs/interpolate.ts";
import { checkJobGraph } from "./logic/graph.ts";
import type { IncludedFile, IncludeSources, PipelineContext, RepositoryFiles } from "./types.ts";
import { loadYamlCached } from "./yaml/cache.ts";
import { stringifyConfig } from "./yaml/stringify.ts";
import { isMap } from "./yaml/tree.ts";

export interface Analysis {
  problems: Problems;
  /** Present when there were no errors. */
  config?: ConfigDef;
  /** The configuration after includes, anchors, `extends` and `!reference` (empty when it could not be built). */
  mergedYaml(): string;
  /** The files includes read, in order. */
  includes: IncludedFile[];
}

/**
 * Everything that does not depend on the ref. Stops early where later steps would only report follow-on errors:
 * after YAML errors, after include errors, and after `extends` / `!reference` errors.
 */
export function analyzeConfig(
  content: string,
  repo: RepositoryFiles | null,
  variables: Readonly<Record<string, string>>,
  /** The pipeline being created, for `include:rules:changes`; absent for lint. */
  ctx?: PipelineContext,
  sources: IncludeSources = {},
): Analysis {
  const problems = new Problems();
  const includes: IncludedFile[] = [];
  const start = { file: MAIN_FILE, line: 1, column: 1 };
  if (content.trim() === "") {
    problems.add(start, "Please provide content of .gitlab-ci.yml");
    return { problems, mergedYaml: () => "", includes: [] };
  }
  const loaded = loadYamlCached(content, MAIN_FILE);
  problems.addAll(loaded.errors);
  const nothing = () => "";
  if (!problems.ok) return { problems, mergedYaml: nothing, includes };
  if (!isMap(loaded.root)) {
    problems.add(loaded.root?.loc ?? start, "Invalid configuration format");
    return { problems, mergedYaml: nothing, includes };
  }
  // The main file's own `spec:inputs` take their defaults (no pipeline inputs are given).
  const interpolated = interpolateFile(loaded.header, loaded.root, undefined, { variables, ...sources });
  if ("error" in interpolated) {
    problems.add(start, interpolated.error);
    return { problems, mergedYaml: nothing, includes };
  }
  if (!isMap(interpolated.root)) {
    problems.add(start, "Invalid configuration format");
    return { problems, mergedYaml: nothing, includes };
  }
  const included = expandIncludes(interpolated.root, MAIN_FILE, repo, variables, problems, ctx, sources, includes);
  if (!problems.ok) return { problems, mergedYaml: nothing, includes };
  const expanded = resolveReferences(expandExtends(included, problems), problems);
  if (!withinExpandedSize(expanded)) {
    problems.add(start, "The parsed YAML is too big");
    return { problems, mergedYaml: nothing, includes };
  }
  let printed: string | undefined;
  const mergedYaml = () => (printed ??= stringifyConfig(expanded));
  if (!problems.ok) return { problems, mergedYaml, includes };
  const config = readConfig(expanded, problems);
  if (problems.ok) checkJobGraph(config, problems);
  return problems.ok ? { problems, config, mergedYaml, includes } : { problems, mergedYaml, includes };
}
