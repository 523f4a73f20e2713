// `artifacts:` (paths, exclude, untracked, reports, expose_as, access); report types porthole does not render warn.
import { parseDuration } from "../duration.ts";
import type { ArtifactReports, ArtifactsSpec } from "../types.ts";
import { isMap, type YMap, type YNode } from "../yaml/tree.ts";
import { type At, boolOf, checkKeys, fail, mapOf, stringOf, stringsOf, under } from "./check.ts";

const ARTIFACT_KEYS = new Set("name paths exclude when expire_in untracked reports expose_as public access".split(" "));
const ARTIFACT_ACCESS = ["all", "developer", "none"] as const;
/** GitLab's report types; porthole renders `junit` and applies `dotenv`, and stores the rest. */
const REPORT_TYPES = new Set(
  "accessibility annotations api_fuzzing browser_performance codequality container_scanning coverage_fuzzing coverage_report cyclonedx dast dependency_scanning dotenv junit load_performance metrics requirements repository_xray sast secret_detection terraform".split(
    " ",
  ),
);
const RENDERED_REPORTS = new Set(["junit", "dotenv"]);
const ARTIFACT_WHEN = ["on_success", "on_failure", "always"] as const;

export function readArtifacts(a: At, node: YNode): ArtifactsSpec | undefined {
  const map = mapOf(a, node);
  if (!map || !checkKeys(a, map, ARTIFACT_KEYS)) return undefined;
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
  const untracked = map.pairs.get("untracked")?.value;
  if (untracked) spec.untracked = boolOf(untracked) ?? fail(a, untracked, "untracked should be a boolean value");
  const exposeAs = map.pairs.get("expose_as")?.value;
  if (exposeAs) spec.exposeAs = stringOf(exposeAs) ?? fail(a, exposeAs, "expose as should be a string");
  readAccess(a, map, spec);
  const reports = map.pairs.get("reports")?.value;
  if (reports) spec.reports = readReports(under(a, "reports"), reports);
  return spec;
}

function readAccess(a: At, map: YMap, spec: ArtifactsSpec): void {
  const pub = map.pairs.get("public")?.value;
  const access = map.pairs.get("access")?.value;
  if (pub && access) fail(a, access, "config can't use both public and access");
  if (pub) {
    const value = boolOf(pub);
    if (value === undefined) fail(a, pub, "public should be a boolean value");
    else spec.access = value ? "all" : "developer";
  }
  if (access) {
    const value = ARTIFACT_ACCESS.find((w) => w === stringOf(access));
    if (value) spec.access = value;
    else fail(a, access, `access should be one of: ${ARTIFACT_ACCESS.join(", ")}`);
  }
}

function readReports(a: At, node: YNode): ArtifactReports | undefined {
  const map = mapOf(a, node);
  if (!map) return undefined;
  const reports: ArtifactReports = {};
  for (const [key, pair] of map.pairs) {
    if (!REPORT_TYPES.has(key)) {
      fail(a, { loc: pair.keyLoc }, `config contains unknown keys: ${key}`);
      continue;
    }
    const value = key === "coverage_report" && isMap(pair.value) ? pair.value.pairs.get("path")?.value : pair.value;
    const paths = stringOf(value) !== undefined ? [stringOf(value)!] : stringsOf(value);
    if (!paths) {
      fail(under(a, key), pair.value, "should be an array of strings or a string");
      continue;
    }
    reports[key] = paths;
    if (!RENDERED_REPORTS.has(key))
      a.p.warnings.push(`${a.where}:${key} is stored and downloadable, but porthole does not render it yet`);
  }
  return reports;
}

function strings(a: At, map: YMap, key: string): string[] {
  const node = map.pairs.get(key)?.value;
  if (!node) return [];
  return stringsOf(node) ?? fail(a, node, `${key} should be an array of strings`) ?? [];
}
