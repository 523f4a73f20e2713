// `cache:` — one hash or a list of at most four: key (a string or `files`/`prefix`), paths, untracked, policy, when,
// fallback_keys and unprotect, with GitLab's messages.
import type { CacheSpec } from "../types.ts";
import { isMap, isScalar, isSeq, type YMap, type YNode } from "../yaml/tree.ts";
import { type At, boolOf, checkKeys, fail, mapOf, stringOf, stringsOf, under } from "./check.ts";

export const CACHE_KEYS: ReadonlySet<string> = new Set([
  "key",
  "paths",
  "untracked",
  "policy",
  "when",
  "fallback_keys",
  "unprotect",
]);
const POLICIES = ["pull-push", "push", "pull"] as const;
const WHENS = ["on_success", "on_failure", "always"] as const;
/** GitLab's limits: caches per job, files in `key:files`, fallback keys per cache. */
export const MAX_CACHES = 4;
const MAX_KEY_FILES = 2;
const MAX_FALLBACK_KEYS = 5;

export function readCaches(a: At, node: YNode): CacheSpec[] | undefined {
  if (!isMap(node) && !isSeq(node)) return fail(a, node, "config can only be a Hash or an Array");
  const items = isSeq(node) ? node.items : [node];
  if (items.length > MAX_CACHES) return fail(a, node, `config no more than ${MAX_CACHES} caches can be created`);
  // GitLab names each entry `cache` again: `jobs:rspec:cache:cache:key …`.
  return items.map((item) => readCache(under(a, "cache"), item));
}

function readCache(a: At, node: YNode): CacheSpec {
  const spec: CacheSpec = {
    key: "default",
    paths: [],
    untracked: false,
    policy: "pull-push",
    when: "on_success",
    fallbackKeys: [],
    unprotect: false,
  };
  const map = mapOf(a, node);
  if (!map || !checkKeys(a, map, CACHE_KEYS)) return spec;
  const value = (key: string) => map.pairs.get(key)?.value;
  const keyNode = value("key");
  if (keyNode) readKey(under(a, "key"), keyNode, spec);
  const paths = value("paths");
  if (paths)
    spec.paths = stringsOf(paths) ?? fail(under(a, "paths"), paths, "config should be an array of strings") ?? [];
  spec.untracked = flag(a, map, "untracked") ?? false;
  spec.unprotect = flag(a, map, "unprotect") ?? false;
  const policyNode = value("policy");
  if (policyNode) {
    const text = stringOf(policyNode);
    const policy = POLICIES.find((p) => p === text);
    if (policy) spec.policy = policy;
    else if (text?.startsWith("$")) fail(a, policyNode, `policy ${text}: a policy from a variable is not supported`);
    else fail(a, policyNode, `policy should be a variable or one of: ${POLICIES.join(", ")}`);
  }
  const whenNode = value("when");
  if (whenNode) {
    const when = WHENS.find((w) => w === stringOf(whenNode));
    if (when) spec.when = when;
    else fail(a, whenNode, "when should be on_success, on_failure or always");
  }
  const fallback = value("fallback_keys");
  if (fallback) {
    const keys = stringsOf(fallback);
    if (!keys) fail(under(a, "fallback_keys"), fallback, "config should be an array of strings");
    else if (keys.length > MAX_FALLBACK_KEYS)
      fail(under(a, "fallback_keys"), fallback, `config must not exceed ${MAX_FALLBACK_KEYS} keys`);
    else spec.fallbackKeys = keys.filter((k) => checkKeyText(under(a, "fallback_keys"), fallback, k));
  }
  return spec;
}

function flag(a: At, map: YMap, key: string): boolean | undefined {
  const node = map.pairs.get(key)?.value;
  if (!node) return undefined;
  return boolOf(node) ?? fail(under(a, key), node, "config should be a boolean value");
}

/** A string key, or `{files: [≤2 paths], prefix}`: the runner keys the cache by those files' contents. */
function readKey(a: At, node: YNode, spec: CacheSpec): void {
  if (isMap(node)) {
    if (!checkKeys(a, node, new Set(["files", "prefix"]))) return;
    const files = node.pairs.get("files")?.value;
    if (!files) return void fail(a, node, "config missing required keys: files");
    const list = stringsOf(files);
    if (!list || list.length === 0 || list.length > MAX_KEY_FILES)
      return void fail(under(a, "files"), files, `config has to be an array of at most ${MAX_KEY_FILES} paths`);
    spec.keyFiles = list;
    const prefix = node.pairs.get("prefix")?.value;
    if (prefix) {
      const text = stringOf(prefix);
      if (text === undefined) return void fail(under(a, "prefix"), prefix, "config should be a string");
      if (checkKeyText(under(a, "prefix"), prefix, text)) spec.keyPrefix = text;
    }
    return;
  }
  const key = stringOf(node) ?? (isScalar(node) && typeof node.value === "number" ? String(node.value) : undefined);
  if (key === undefined) return void fail(a, node, "should be a hash, a string or a symbol");
  if (checkKeyText(a, node, key)) spec.key = key;
}

/** GitLab: a key has no `/` (also URL-encoded) and is not `.` or `..`. */
function checkKeyText(a: At, node: YNode, key: string): boolean {
  const unescaped = safeDecode(key);
  const problem = unescaped.includes("/")
    ? 'config cannot contain the "/" character'
    : unescaped === "." || unescaped === ".."
      ? 'config cannot be "." or ".."'
      : null;
  if (problem) fail(a, node, problem);
  return problem === null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
