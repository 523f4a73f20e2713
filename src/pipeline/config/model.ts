// The checked configuration: what each keyword said, in the types the plan builder needs, with positions for errors.
import type { DebugSpec } from "../../domain/debug.ts";
import type { Expr } from "../expression/parser.ts";
import type {
  ArtifactsSpec,
  AutoCancelSpec,
  CacheSpec,
  CrossPipelineNeed,
  ImageSpec,
  JobWhen,
  RetrySpec,
  ServiceSpec,
  TriggerSpec,
  YamlVariable,
} from "../types.ts";
import type { Loc } from "../yaml/tree.ts";
import type { EnvironmentDef } from "./environment.ts";

/** One entry of `needs` (or `rules:needs`). `matrix` narrows a need on a `parallel:matrix` job to some instances. */
export interface NeedDef {
  job: string;
  optional: boolean;
  /** `false` when written `artifacts: false`. */
  artifacts?: boolean;
  loc: Loc;
  matrix?: Record<string, string[]>[];
  /** `needs:pipeline`: the (upstream) pipeline the job is in, as written (`$PARENT_PIPELINE_ID`). */
  pipeline?: string;
}

/** One rule of `rules` or `workflow:rules`; clauses absent when not written. `when` may be `never`. */
export interface RuleDef {
  loc: Loc;
  if?: Expr;
  changes?: ChangesDef;
  exists?: ExistsDef;
  when?: string;
  startIn?: number;
  allowFailure?: boolean;
  interruptible?: boolean;
  variables?: YamlVariable[];
  needs?: NeedDef[];
  /** `workflow:rules` only: overrides `workflow:auto_cancel` when this rule matches. */
  autoCancel?: Partial<AutoCancelSpec>;
}

/** `rules:changes`: globs, and the ref to diff against (`compare_to`) instead of the push's before sha. */
export interface ChangesDef {
  paths: string[];
  compareTo?: string;
}

/** `rules:exists`: globs, in this project's commit or in another project's `ref` (its default branch when absent). */
export interface ExistsDef {
  paths: string[];
  project?: string;
  ref?: string;
}

/** `only` / `except` in hash form (the list form is `refs`). */
export interface PolicyDef {
  refs?: string[];
  variables?: Expr[];
  changes?: string[];
}

/** One job `parallel` makes: the suffix of its name (` 2/5`, `: [ruby, 3]`) and its matrix variables. */
export interface ParallelInstance {
  suffix: string;
  variables: YamlVariable[];
}

/** Keys `default:` (or the deprecated top-level keys) copies into jobs that lack them. */
export interface DefaultsDef {
  beforeScript?: string[];
  afterScript?: string[];
  image?: ImageSpec;
  services?: ServiceSpec[];
  timeout?: number;
  retry?: RetrySpec;
  tags?: string[];
  interruptible?: boolean;
  cache?: CacheSpec[];
  artifacts?: ArtifactsSpec;
}

/** A visible job as written (after includes, extends and `!reference`); `undefined` means "not written". */
export interface JobDef extends DefaultsDef {
  name: string;
  /** Position of the job's key. */
  loc: Loc;
  stage: string;
  stageLoc: Loc;
  script: string[];
  variables: YamlVariable[];
  when?: JobWhen;
  startIn?: number;
  allowFailure?: boolean | { exitCodes: number[] };
  needs?: NeedDef[];
  rules?: RuleDef[];
  only?: PolicyDef;
  except?: PolicyDef;
  parallel?: ParallelInstance[];
  coverage?: string;
  dependencies?: { name: string; loc: Loc }[];
  /** `needs: [{pipeline, job}]`: artifacts of jobs of an upstream pipeline; not part of the scheduling. */
  crossPipelineNeeds?: CrossPipelineNeed[];
  /** A bridge's `trigger:` (it then has no script and takes none of `default:`). */
  trigger?: TriggerSpec;
  debug?: DebugSpec;
  environment?: EnvironmentDef;
  /** `resource_group` as written. */
  resourceGroup?: string;
}

export interface ConfigDef {
  /** Stages in order, `.pre` first and `.post` last. */
  stages: string[];
  variables: YamlVariable[];
  defaults: DefaultsDef;
  /** `workflow:name`, before variables are expanded. */
  name?: string;
  /** `workflow:rules`; `loc` is the `rules` key's. */
  workflow?: { rules: RuleDef[]; loc: Loc };
  /** `workflow:name` as written (`$VARIABLES` are expanded when the pipeline is created). */
  workflowName?: string;
  autoCancel: AutoCancelSpec;
  jobs: JobDef[];
  loc: Loc;
}
