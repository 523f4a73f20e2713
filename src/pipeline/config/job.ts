// One visible job: its keys checked against what porthole supports, each keyword read into a JobDef.

import type { Problems } from "../errors.ts";
import type { JobWhen } from "../types.ts";
import { get, isScalar, isSeq, keyLoc, type YMap, type YNode, type YPair } from "../yaml/tree.ts";
import { type At, at, checkKeys, fail, stringOf, under } from "./check.ts";
import { readDebug } from "./debug.ts";
import { readEnvironment } from "./environment.ts";
import { INHERITABLE, readInheritable } from "./inheritable.ts";
import type { JobDef } from "./model.ts";
import { readNeeds } from "./needs.ts";
import { readParallel } from "./parallel.ts";
import { readPolicy } from "./policy.ts";
import { readAllowFailure } from "./retry.ts";
import { JOB_RULES, readRules } from "./rules.ts";
import { readCommands, readCoverage, readDependencies, readDuration, readResourceGroup } from "./simple.ts";
import { readVariables } from "./variables.ts";

const JOB_WHEN: readonly JobWhen[] = ["on_success", "on_failure", "always", "manual", "delayed"];
const OWN_KEYS = [
  "script",
  "stage",
  "variables",
  "when",
  "start_in",
  "allow_failure",
  "needs",
  "rules",
  "only",
  "except",
  "extends",
  "parallel",
  "coverage",
  "dependencies",
  "debug",
  "environment",
  "resource_group",
];
/** Every job keyword the compiler accepts (each acts, or warns: src/pipeline/keywords.test.ts). */
export const JOB_KEYS: ReadonlySet<string> = new Set([...OWN_KEYS, ...Object.keys(INHERITABLE)]);
/** Keywords GitLab knows that porthole does not run: refused by name rather than ignored. */
const REFUSED_JOB_KEYS = new Set([
  "release",
  "secrets",
  "id_tokens",
  "hooks",
  "inherit",
  "identity",
  "run",
  "pages",
  "publish",
  "manual_confirmation",
  "dast_configuration",
  "inputs",
]);
const ONE_WEEK = 7 * 24 * 3600;
const MAX_NAME = 255;

/** Reads the job under `pair` (a hash with `script`). Errors go to `p`; the result is only usable when none. */
export function readJob(p: Problems, pair: YPair): JobDef {
  const name = pair.key;
  const map = pair.value as YMap;
  const a = at(p, `jobs:${name}`);
  const job: JobDef = { name, loc: pair.keyLoc, stage: "test", stageLoc: pair.keyLoc, script: [], variables: [] };
  if (name.length > MAX_NAME) fail(a, { loc: pair.keyLoc }, `name is too long (maximum is ${MAX_NAME} characters)`);
  checkKeys(a, map, JOB_KEYS, REFUSED_JOB_KEYS);
  const node = (key: string) => get(map, key);
  if (node("rules")) {
    const withRules = ["only", "except", "start_in"].filter((key) => node(key));
    if (withRules.length > 0) {
      fail(
        a,
        { loc: keyLoc(map, withRules[0]!) },
        `config key may not be used with \`rules\`: ${withRules.join(", ")}`,
      );
    }
  }
  readScript(a, map, job);
  readInheritable(a, map, job);
  const stage = node("stage");
  if (stage) {
    job.stage = stringOf(stage) ?? fail(under(a, "stage"), stage, "config should be a string") ?? job.stage;
    job.stageLoc = stage.loc;
  }
  if (node("variables")) job.variables = readVariables(under(a, "variables"), node("variables")!, ["value", "expand"]);
  readWhen(a, map, job);
  if (node("allow_failure")) job.allowFailure = readAllowFailure(under(a, "allow_failure"), node("allow_failure")!);
  if (node("needs")) readJobNeeds(a, node("needs")!, job);
  if (node("rules")) job.rules = readRules(under(a, "rules"), node("rules")!, JOB_RULES);
  if (node("only")) job.only = readPolicy(under(a, "only"), node("only")!);
  if (node("except")) job.except = readPolicy(under(a, "except"), node("except")!);
  if (node("parallel")) job.parallel = readParallel(under(a, "parallel"), node("parallel")!);
  if (node("coverage")) job.coverage = readCoverage(under(a, "coverage"), node("coverage")!);
  if (node("debug")) job.debug = readDebug(under(a, "debug"), node("debug")!);
  if (node("dependencies")) job.dependencies = readDependencies(a, node("dependencies")!);
  if (node("environment")) job.environment = readEnvironment(under(a, "environment"), node("environment")!);
  if (node("resource_group")) job.resourceGroup = readResourceGroup(a, node("resource_group")!);
  const extendsNode = node("extends");
  const extendsOk =
    stringOf(extendsNode) !== undefined ||
    (isSeq(extendsNode) && extendsNode.items.every((i) => stringOf(i) !== undefined));
  if (extendsNode && !extendsOk) fail(a, extendsNode, "extends should be an array of strings or a string");
  checkDependenciesInNeeds(a, job);
  return job;
}

function readScript(a: At, map: YMap, job: JobDef): void {
  const script = get(map, "script");
  const blank =
    !script || (isScalar(script) && script.text.trim() === "") || (isSeq(script) && script.items.length === 0);
  if (blank) {
    fail(a, script ?? { loc: keyLoc(map, "script") }, "script can't be blank");
    return;
  }
  job.script = readCommands(under(a, "script"), script) ?? [];
}

function readWhen(a: At, map: YMap, job: JobDef): void {
  const when = get(map, "when");
  if (when) {
    const value = JOB_WHEN.find((w) => w === stringOf(when));
    if (value) job.when = value;
    else fail(a, when, `when should be one of: ${JOB_WHEN.join(", ")}`);
  }
  const startIn = get(map, "start_in");
  if (job.when === "delayed" && !get(map, "rules")) {
    job.startIn = readDuration(
      a,
      startIn ?? { kind: "scalar", value: null, text: "", loc: keyLoc(map, "when") },
      "start in",
      ONE_WEEK,
    );
  } else if (startIn && !get(map, "rules")) {
    fail(a, startIn, "start in must be blank");
  }
}

/** `needs`: same-pipeline ones schedule the job; `{pipeline, job}` ones only bring artifacts (GitLab's cross dependencies). */
function readJobNeeds(a: At, node: YNode, job: JobDef): void {
  const needs = readNeeds(under(a, "needs"), node, true);
  if (!needs) return;
  job.needs = needs.filter((n) => n.pipeline === undefined);
  const cross = needs.filter((n) => n.pipeline !== undefined);
  if (cross.length > 0)
    job.crossPipelineNeeds = cross.map((n) => ({
      pipeline: n.pipeline!,
      job: n.job,
      artifacts: n.artifacts !== false,
    }));
}

/** GitLab: with both `needs` and `dependencies`, every dependency must also be a need. */
function checkDependenciesInNeeds(a: At, job: JobDef): void {
  if (!job.dependencies?.length || !job.needs?.length) return;
  const needed = new Set(job.needs.map((n) => n.job));
  const missing = job.dependencies.filter((d) => !needed.has(d.name));
  if (missing.length > 0)
    fail(a, missing[0]!, `dependencies the ${missing.map((d) => d.name).join(", ")} should be part of needs`);
}
