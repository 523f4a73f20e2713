// `artifacts:` — the parts porthole stores; reports, untracked files and the like are refused.
import { parseDuration } from "../duration.ts";
import type { ArtifactsSpec } from "../types.ts";
import type { YMap, YNode } from "../yaml/tree.ts";
import { type At, checkKeys, fail, mapOf, stringOf, stringsOf } from "./check.ts";

const ARTIFACT_KEYS = new Set(["name", "paths", "exclude", "when", "expire_in"]);
const ARTIFACT_REFUSED = new Set(["untracked", "reports", "expose_as", "public", "access"]);
const ARTIFACT_WHEN = ["on_success", "on_failure", "always"] as const;

export function readArtifacts(a: At, node: YNode): ArtifactsSpec | undefined {
  const map = mapOf(a, node);
  if (!map || !checkKeys(a, map, ARTIFACT_KEYS, ARTIFACT_REFUSED)) return undefined;
  const spec: ArtifactsSpec = { paths: [], exclude: [], when: "on_success" };
  const name = map.pairs.get("name")?.value;
  if (name) spec.name = stringOf(name) ?? fail(a, name, "name should be a string");
  spec.paths = strings(a, map, "paths");
  spec.exclude = strings(a, map, "exclude");
  const when = map.pairs.get("when")?.value;
  if (when) {
    const value = ARTIFACT_WHEN.find((w) => w === stringOf(when));
    if (value) spec.when = value;
    else fail(a, when, `when should be one of: ${ARTIFACT_WHEN.join(", ")}`);
  }
  const expire = map.pairs.get("expire_in")?.value;
  if (expire) {
    const text = stringOf(expire);
    if (text !== undefined && (text.toLowerCase() === "never" || parseDuration(text) !== null)) spec.expireIn = text;
    else fail(a, expire, "expire in should be a duration");
  }
  return spec;
}

function strings(a: At, map: YMap, key: string): string[] {
  const node = map.pairs.get(key)?.value;
  if (!node) return [];
  return stringsOf(node) ?? fail(a, node, `${key} should be an array of strings`) ?? [];
}
