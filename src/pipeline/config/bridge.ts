// A bridge job (`trigger:`, no script): only the keywords GitLab's `Entry::Bridge` allows, read into a JobDef.
import type { Problems } from "../errors.ts";
import type { JobWhen } from "../types.ts";
import { get, isScalar, keyLoc, type YMap, type YPair } from "../yaml/tree.ts";
import { at, boolOf, checkKeys, fail, stringOf, under } from "./check.ts";
import type { JobDef } from "./model.ts";
import { readNeeds } from "./needs.ts";
import { readParallel } from "./parallel.ts";
import { readPolicy } from "./policy.ts";
import { JOB_RULES, readRules } from "./rules.ts";
import { readTrigger } from "./trigger.ts";
import { readVariables } from "./variables.ts";

const BRIDGE_WHEN: readonly JobWhen[] = ["on_success", "on_failure", "always", "manual"];
/** `Entry::Bridge::ALLOWED_KEYS + PROCESSABLE_ALLOWED_KEYS`, less what porthole refuses by name. */
const BRIDGE_KEYS: ReadonlySet<string> = new Set([
  "trigger",
  "extends",
  "stage",
  "only",
  "except",
  "rules",
  "variables",
  "allow_failure",
  "when",
  "needs",
  "parallel",
]);
const REFUSED_BRIDGE_KEYS: ReadonlySet<string> = new Set(["inherit", "resource_group"]);

/** Whether a job entry is a bridge: GitLab tries a job (`script`/`run`) first, then a bridge (`trigger`/`needs`). */
export function isBridge(map: YMap): boolean {
  return !map.pairs.has("script") && !map.pairs.has("run") && (map.pairs.has("trigger") || map.pairs.has("needs"));
}

/** Reads the bridge under `pair`. Errors go to `p`; the result is only usable when none. */
export function readBridge(p: Problems, pair: YPair): JobDef {
  const name = pair.key;
  const map = pair.value as YMap;
  const a = at(p, `jobs:${name}`);
  const job: JobDef = { name, loc: pair.keyLoc, stage: "test", stageLoc: pair.keyLoc, script: [], variables: [] };
  checkKeys(a, map, BRIDGE_KEYS, REFUSED_BRIDGE_KEYS);
  const node = (key: string) => get(map, key);
  if (node("rules")) {
    const withRules = ["only", "except"].filter((key) => node(key));
    if (withRules.length > 0)
      fail(
        a,
        { loc: keyLoc(map, withRules[0]!) },
        `config key may not be used with \`rules\`: ${withRules.join(", ")}`,
      );
  }
  // An explicit `trigger: null` is GitLab's "has to be either a string or a hash", not a missing trigger.
  const trigger = map.pairs.get("trigger")?.value;
  if (trigger) job.trigger = readTrigger(under(a, "trigger"), trigger);
  else fail(a, { loc: pair.keyLoc }, "config should contain either a trigger or a needs:pipeline");
  const stage = node("stage");
  if (stage) {
    job.stage = stringOf(stage) ?? fail(under(a, "stage"), stage, "config should be a string") ?? job.stage;
    job.stageLoc = stage.loc;
  }
  if (node("variables")) job.variables = readVariables(under(a, "variables"), node("variables")!, ["value", "expand"]);
  const when = node("when");
  if (when) {
    const value = BRIDGE_WHEN.find((w) => w === stringOf(when));
    if (value) job.when = value;
    else fail(a, when, `when should be one of: ${BRIDGE_WHEN.join(", ")}`);
  }
  const allowFailure = node("allow_failure");
  if (allowFailure)
    job.allowFailure = boolOf(allowFailure) ?? fail(a, allowFailure, "allow failure should be a boolean value");
  if (node("needs")) job.needs = readNeeds(under(a, "needs"), node("needs")!);
  if (node("rules")) job.rules = readRules(under(a, "rules"), node("rules")!, JOB_RULES);
  const parallel = node("parallel");
  if (parallel && isScalar(parallel) && typeof parallel.value === "number")
    fail(under(a, "parallel"), parallel, 'config cannot use "parallel: <number>".');
  else if (parallel) job.parallel = readParallel(under(a, "parallel"), parallel);
  if (node("only")) job.only = readPolicy(under(a, "only"), node("only")!);
  if (node("except")) job.except = readPolicy(under(a, "except"), node("except")!);
  return job;
}
