// Readers for the simpler job keywords: scripts, durations, tags, booleans, coverage, dependencies.
import { parseDuration } from "../duration.ts";
import { compileRegex, looksLikeRegex } from "../expression/regex.ts";
import { isSeq, type Loc, type YNode } from "../yaml/tree.ts";
import { type At, boolOf, fail, nestedStringsOf, stringOf, stringsOf } from "./check.ts";

/** GitLab's limit on nesting lists in scripts and stages (what `!reference` in scripts builds). */
export const MAX_NESTING = 10;
/** GitLab's limit on a job timeout: one month. */
export const MAX_TIMEOUT_SECONDS = 30 * 24 * 3600;
const TAGS_LIMIT = 50;

/** `script`, `before_script`, `after_script`: a string or nested lists of strings, flattened. */
export function readCommands(a: At, node: YNode): string[] | undefined {
  const lines = nestedStringsOf(node, MAX_NESTING);
  return (
    lines ?? fail(a, node, `config should be a string or a nested array of strings up to ${MAX_NESTING} levels deep`)
  );
}

/** A duration string (`timeout`, `start_in`, `expire_in`) in whole seconds, within `limit` seconds if given. */
export function readDuration(a: At, node: YNode, name: string, limit?: number): number | undefined {
  const text = stringOf(node);
  const seconds = text === undefined ? null : parseDuration(text);
  if (seconds === null) return fail(a, node, `${name} should be a duration`);
  if (limit !== undefined && seconds > limit) return fail(a, node, `${name} should not exceed the limit`);
  return Math.floor(seconds);
}

export function readTags(a: At, node: YNode): string[] | undefined {
  const tags = stringsOf(node);
  if (!tags) return fail(a, node, "config should be an array of strings");
  if (tags.length >= TAGS_LIMIT) return fail(a, node, `config must be less than the limit of ${TAGS_LIMIT} tags`);
  return tags;
}

export function readBoolean(a: At, node: YNode): boolean | undefined {
  return boolOf(node) ?? fail(a, node, "config should be a boolean value");
}

/** `coverage: /re/`, returned without the slashes as GitLab stores it. */
export function readCoverage(a: At, node: YNode): string | undefined {
  const text = stringOf(node);
  if (text === undefined || !looksLikeRegex(text) || !compileRegex(text)) {
    return fail(a, node, "config must be a regular expression with re2 syntax");
  }
  return text.slice(1, text.lastIndexOf("/"));
}

/** `dependencies`: job names, each with its position for later checks. */
export function readDependencies(a: At, node: YNode): { name: string; loc: Loc }[] | undefined {
  const names = stringsOf(node);
  if (!names || !isSeq(node)) return fail(a, node, "dependencies should be an array of strings");
  return names.map((name, i) => ({ name, loc: node.items[i]!.loc }));
}

/** `resource_group`: a key (with `$VARIABLES`, expanded when the pipeline is created). */
export function readResourceGroup(a: At, node: YNode): string | undefined {
  return stringOf(node) ?? fail(a, node, "resource group should be a string");
}
