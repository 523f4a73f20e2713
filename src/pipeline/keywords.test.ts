// No silent keyword: every keyword the compiler accepts changes the plan and has a test of its effect, or warns
// (lint and job log) that it is accepted but not acted on. A keyword added to the compiler without either fails here.
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AUTO_CANCEL_KEYS } from "./config/auto-cancel.ts";
import { CACHE_KEYS } from "./config/cache.ts";
import { ENVIRONMENT_KEYS } from "./config/environment.ts";
import { IMAGE_KEYS, SERVICE_KEYS } from "./config/image.ts";
import { JOB_KEYS } from "./config/job.ts";
import { NEED_KEYS } from "./config/needs.ts";
import { NOT_ACTED_ON } from "./config/not-acted-on.ts";
import { POLICY_KEYS } from "./config/policy.ts";
import { RETRY_KEYS } from "./config/retry.ts";
import { GLOBAL_VARIABLE_KEYS, RESERVED, WORKFLOW_KEYS } from "./config/root.ts";
import { JOB_RULES, WORKFLOW_RULES } from "./config/rules.ts";
import { lintPipeline } from "./lint.ts";
import { gitRepo, planOf, pushContext } from "./pipeline.testing.ts";
import type { RepositoryFiles } from "./types.ts";

const ROOT = join(import.meta.dir, "../..");

/** Where the keyword's effect is tested: a test file and the title of the test there. */
type Effect = [file: string, title: string];
interface ActedOn {
  /** A CI file using the keyword; its plan must differ from `base`'s. */
  yaml: string;
  base?: string;
  /** The paths the push changed (for `changes`); unknown when absent. */
  changed?: string[];
  /** Files of the repository the CI file is compiled against. */
  repo?: Record<string, string>;
  effect: Effect;
}
/**
 * A keyword made real by another branch (h-artifacts) with the test that shows it: checked like `ActedOn` once
 * that test is here; until the merge, only the branch is named.
 */
interface Pending extends ActedOn {
  pending: "h-artifacts";
}
/** A keyword accepted in the grammar but refused in every use: an error, so never silent. */
type Entry = ActedOn | Pending | { warns: string } | { refuses: string };

const RUNNER = "src/runner/runner.test.ts";
const SCHEDULER = "src/queue/scheduler.test.ts";
const CACHE = "src/runner/cache/cache.test.ts";
const ARTIFACTS = "test/integration/artifacts.test.ts";
const BASE = "job: {script: x}\n";
const job = (extra: string) => `job: {script: x, ${extra}}\n`;

const JOB: Record<string, Entry> = {
  script: { yaml: "job: {script: y}\n", effect: [RUNNER, "a successful job's log reads like GitLab's"] },
  stage: { yaml: job("stage: build"), effect: [SCHEDULER, "stages run in order"] },
  variables: {
    yaml: job("variables: {A: b}"),
    effect: ["test/executor-conformance/suite.ts", "the job's variables reach its processes"],
  },
  when: { yaml: job("when: manual"), effect: [SCHEDULER, "manual jobs: optional ones"] },
  start_in: {
    yaml: job("when: delayed, start_in: 1 minute"),
    base: job("when: delayed, start_in: 2 minutes"),
    effect: [SCHEDULER, "delayed jobs wait for start_in"],
  },
  allow_failure: { yaml: job("allow_failure: true"), effect: [SCHEDULER, "allow_failure keeps the pipeline green"] },
  needs: { yaml: job("needs: []"), effect: [SCHEDULER, "needs: [] starts at once"] },
  rules: {
    yaml: job("rules: [{when: manual}]"),
    effect: ["src/pipeline/rules.test.ts", "the first matching rule wins"],
  },
  only: {
    yaml: `${job("only: [tags]")}other: {script: y}\n`,
    base: `${BASE}other: {script: y}\n`,
    effect: ["src/pipeline/rules.test.ts", "hash form: refs and variables"],
  },
  except: {
    yaml: `${job("except: [main]")}other: {script: y}\n`,
    base: `${BASE}other: {script: y}\n`,
    effect: ["src/pipeline/rules.test.ts", "hash form: refs and variables"],
  },
  extends: {
    yaml: `.t: {tags: [a]}\n${job("extends: .t")}`,
    effect: ["src/pipeline/expand/extends.test.ts", "a list of bases"],
  },
  parallel: { yaml: job("parallel: 2"), effect: ["src/pipeline/compile.test.ts", "parallel: N names jobs"] },
  before_script: { yaml: job("before_script: [b]"), effect: [RUNNER, "a successful job's log reads like GitLab's"] },
  after_script: { yaml: job("after_script: [b]"), effect: [RUNNER, "a failing script: its exit code, after_script"] },
  image: { yaml: job("image: alpine"), effect: ["test/docker/executor.test.ts", "a step runs in the image"] },
  services: {
    yaml: job("services: [redis]"),
    effect: ["test/docker/services.test.ts", "a service answers by its aliases"],
  },
  timeout: { yaml: job("timeout: 1m"), effect: [RUNNER, "a job that runs past its timeout"] },
  retry: { yaml: job("retry: 2"), effect: [SCHEDULER, "retry: automatic retries"] },
  tags: { yaml: job("tags: [a]"), effect: ["src/queue/tags.test.ts", "a job with tags is not handed"] },
  interruptible: {
    yaml: job("interruptible: true"),
    effect: ["src/queue/auto-cancel.test.ts", "a new commit cancels an older pipeline"],
  },
  cache: { yaml: job("cache: {paths: [v]}"), effect: [CACHE, "saved after a successful job and restored"] },
  artifacts: {
    pending: "h-artifacts",
    yaml: job("artifacts: {paths: [out/]}"),
    effect: [ARTIFACTS, "a build job's artifacts reach later jobs and download byte-identical"],
  },
  dependencies: {
    pending: "h-artifacts",
    yaml: job("dependencies: []"),
    effect: ["test/support/artifact-flow.ts", "no_dependencies:"],
  },
  coverage: {
    pending: "h-artifacts",
    yaml: job("coverage: '/(\\d+)%/'"),
    effect: [ARTIFACTS, "coverage: the last matching line's number reaches the job"],
  },
  environment: {
    yaml: job("environment: production"),
    effect: ["test/integration/environments.test.ts", "a deployment follows its job"],
  },
  resource_group: {
    yaml: job("resource_group: production"),
    effect: ["test/integration/resource-group.test.ts", "never overlap"],
  },
  // Porthole's own (the lint result also warns that GitLab refuses it).
  debug: {
    yaml: job("debug: {on_failure: 10m}"),
    effect: ["test/terminal/debug.test.ts", "a failed script keeps its environment for a terminal"],
  },
};

const ENVIRONMENTS = "test/integration/environments.test.ts";
const env = (extra: string) => job(`environment: {name: review, ${extra}}`);
const ENVIRONMENT: Record<string, Entry> = {
  name: { yaml: job("environment: {name: review}"), effect: [ENVIRONMENTS, "a deployment follows its job"] },
  url: {
    yaml: env("url: https://x.test"),
    base: env("action: start"),
    effect: [ENVIRONMENTS, "takes its url and tier"],
  },
  action: {
    yaml: env("action: prepare"),
    base: env("action: start"),
    effect: ["src/queue/deployments.test.ts", "prepare makes the environment"],
  },
  on_stop: {
    yaml: `${env("on_stop: stop")}stop: {script: y, environment: {name: review, action: stop}}\n`,
    base: `${env("action: start")}stop: {script: y, environment: {name: review, action: stop}}\n`,
    effect: [ENVIRONMENTS, "Stop button runs the on_stop job"],
  },
  auto_stop_in: {
    yaml: env("auto_stop_in: 1 day"),
    base: env("action: start"),
    effect: [ENVIRONMENTS, "auto_stop_in stops the environment by itself"],
  },
  deployment_tier: {
    yaml: env("deployment_tier: staging"),
    base: env("action: start"),
    effect: [ENVIRONMENTS, "takes its url and tier"],
  },
  kubernetes: { warns: env("kubernetes: {namespace: x}") },
};

const cache = (extra: string) => job(`cache: {paths: [v], ${extra}}`);
const CACHE_ENTRIES: Record<string, Entry> = {
  key: { yaml: cache("key: k"), effect: [CACHE, "fallback_keys then CACHE_FALLBACK_KEY"] },
  paths: { yaml: job("cache: {paths: [w]}"), effect: [CACHE, "saved after a successful job and restored"] },
  untracked: { yaml: cache("untracked: true"), effect: ["test/integration/cache.test.ts", "untracked"] },
  policy: { yaml: cache("policy: pull"), effect: [CACHE, "a push-only cache is never restored"] },
  when: { yaml: cache("when: always"), effect: [CACHE, "when: on_failure saves for a failed job only"] },
  fallback_keys: { yaml: cache("fallback_keys: [f]"), effect: [CACHE, "fallback_keys then CACHE_FALLBACK_KEY"] },
  unprotect: { yaml: cache("unprotect: true"), effect: ["src/queue/job-caches.test.ts", "unless unprotect"] },
};

const TOP: Record<string, Entry> = {
  default: { yaml: `default: {tags: [a]}\n${BASE}`, effect: ["src/pipeline/compile.test.ts", "default"] },
  variables: {
    yaml: `variables: {A: b}\n${BASE}`,
    effect: ["test/integration/gitlab-semantics.test.ts", "a passing run"],
  },
  stages: { yaml: `stages: [a, test]\n${BASE}`, effect: [SCHEDULER, "stages run in order"] },
  workflow: {
    yaml: `workflow: {rules: [{when: always, variables: {W: x}}]}\n${BASE}`,
    base: BASE,
    effect: ["src/pipeline/rules.test.ts", "workflow"],
  },
  include: {
    yaml: `include: a.yml\n${BASE}`,
    repo: { "a.yml": "other: {script: y}\n" },
    base: BASE,
    effect: ["src/pipeline/expand/includes.test.ts", "a string, a list, {local}"],
  },
  image: { yaml: `image: alpine\n${BASE}`, effect: ["test/docker/executor.test.ts", "a step runs in the image"] },
  services: {
    yaml: `services: [redis]\n${BASE}`,
    effect: ["test/docker/services.test.ts", "a service answers by its aliases"],
  },
  before_script: {
    yaml: `before_script: [b]\n${BASE}`,
    effect: [RUNNER, "a successful job's log reads like GitLab's"],
  },
  after_script: {
    yaml: `after_script: [b]\n${BASE}`,
    effect: [RUNNER, "a failing script: its exit code, after_script"],
  },
  cache: { yaml: `cache: {paths: [v]}\n${BASE}`, effect: [CACHE, "saved after a successful job and restored"] },
};

const WORKFLOW: Record<string, Entry> = {
  rules: {
    yaml: `workflow: {rules: [{when: always, variables: {W: x}}]}\n${BASE}`,
    base: BASE,
    effect: ["src/pipeline/rules.test.ts", "workflow"],
  },
  auto_cancel: {
    yaml: `workflow: {auto_cancel: {on_new_commit: none}}\n${BASE}`,
    effect: ["src/queue/auto-cancel.test.ts", "none cancels nothing"],
  },
  name: {
    yaml: `workflow: {name: nightly}\n${BASE}`,
    effect: ["src/pipeline/workflow-name.test.ts", "expands predefined, global and workflow-rule variables"],
  },
};
const AUTO_CANCEL: Record<string, Entry> = {
  on_new_commit: {
    yaml: `workflow: {auto_cancel: {on_new_commit: interruptible}}\n${BASE}`,
    effect: ["src/queue/auto-cancel.test.ts", "on_new_commit: interruptible"],
  },
  on_job_failure: {
    yaml: `workflow: {auto_cancel: {on_job_failure: all}}\n${BASE}`,
    effect: ["src/queue/auto-cancel.test.ts", "on_job_failure: all"],
  },
};
const RULES = "src/pipeline/rules.test.ts";
const rule = (clause: string) => job(`rules: [{${clause}}]`);
const JOB_RULE: Record<string, Entry> = {
  if: {
    yaml: `${rule("if: $CI_COMMIT_TAG, when: always")}other: {script: y}\n`,
    base: `${rule("when: always")}other: {script: y}\n`,
    effect: [RULES, "rules:if sees global"],
  },
  changes: {
    yaml: `${rule("changes: [a], when: manual")}`,
    base: rule("when: on_success"),
    effect: [RULES, "changes"],
  },
  exists: {
    yaml: `${rule("exists: [nothing], when: manual")}other: {script: y}\n`,
    base: `${rule("when: on_success")}other: {script: y}\n`,
    effect: [RULES, "exists"],
  },
  when: {
    yaml: rule("when: manual"),
    base: rule("when: on_success"),
    effect: [RULES, "rules:when: manual is blocking"],
  },
  start_in: {
    yaml: rule("when: delayed, start_in: 1 minute"),
    base: rule("when: delayed, start_in: 2 minutes"),
    effect: [RULES, "start_in"],
  },
  allow_failure: {
    yaml: rule("when: always, allow_failure: true"),
    base: rule("when: always"),
    effect: [RULES, "the first matching rule wins, with its when, allow_failure"],
  },
  variables: {
    yaml: rule("variables: {A: b}"),
    base: rule("when: always"),
    effect: [RULES, "the first matching rule wins, with its when, allow_failure, start_in and variables"],
  },
  needs: {
    yaml: `a: {script: x}\n${rule("needs: [a]")}`,
    base: `a: {script: x}\n${rule("when: always")}`,
    effect: [RULES, "rules:needs replaces the job's needs"],
  },
  interruptible: {
    yaml: rule("interruptible: true"),
    base: rule("when: always"),
    effect: ["src/queue/auto-cancel.test.ts", "a new commit cancels an older pipeline"],
  },
};
const wrule = (clause: string) => `workflow: {rules: [{${clause}}]}\n${BASE}`;
const WORKFLOW_RULE: Record<string, Entry> = {
  if: { yaml: wrule("if: $CI_COMMIT_BRANCH, variables: {V: x}"), base: BASE, effect: [RULES, "workflow"] },
  changes: { yaml: wrule("changes: [a], variables: {V: x}"), base: BASE, effect: [RULES, "workflow"] },
  exists: {
    yaml: wrule("exists: [a.txt], variables: {V: x}"),
    base: BASE,
    repo: { "a.txt": "a\n" },
    effect: [RULES, "workflow"],
  },
  when: { yaml: wrule("when: always, variables: {V: x}"), base: BASE, effect: [RULES, "workflow"] },
  variables: { yaml: wrule("variables: {V: x}"), base: BASE, effect: [RULES, "workflow"] },
  auto_cancel: {
    yaml: wrule("auto_cancel: {on_new_commit: none}"),
    base: BASE,
    effect: ["src/queue/auto-cancel.test.ts", "a matching workflow:rules rule's auto_cancel overrides"],
  },
  // Needs `when: delayed`, which workflow:rules refuse: it can never be used there (GitLab's rule too).
  start_in: { refuses: wrule("when: always, start_in: 1 minute") },
  allow_failure: { warns: wrule("allow_failure: true") },
  needs: { warns: wrule("needs: [job]") },
};

const COMPILE = "src/pipeline/compile.test.ts";
const DOCKER_SERVICES = "test/docker/services.test.ts";
const RETRY: Record<string, Entry> = {
  max: { yaml: job("retry: {max: 1}"), effect: [SCHEDULER, "retry: automatic retries up to max"] },
  when: {
    yaml: job("retry: {max: 1, when: [script_failure]}"),
    base: job("retry: {max: 1}"),
    effect: ["src/queue/retry.test.ts", "retry:when retries only the listed failure reasons"],
  },
  exit_codes: {
    yaml: job("retry: {max: 1, exit_codes: [137]}"),
    base: job("retry: {max: 1}"),
    effect: ["src/queue/retry.test.ts", "retry:exit_codes retries only the listed exit codes"],
  },
};
const twoJobs = (needs: string) => `a: {script: x, parallel: {matrix: [{V: [p, q]}]}}\n${job(`needs: [${needs}]`)}`;
const NEED: Record<string, Entry> = {
  job: {
    yaml: twoJobs("{job: a}"),
    base: twoJobs(""),
    effect: [SCHEDULER, "needs: [] starts at once and needs release a job"],
  },
  optional: {
    yaml: twoJobs("{job: a, optional: true}"),
    base: twoJobs("{job: a}"),
    effect: [RULES, "a need on a job that rules left out is an error unless optional"],
  },
  parallel: {
    yaml: twoJobs("{job: a, parallel: {matrix: [{V: p}]}}"),
    base: twoJobs("{job: a}"),
    effect: [COMPILE, "needs:parallel:matrix picks instances"],
  },
  artifacts: {
    pending: "h-artifacts",
    yaml: twoJobs("{job: a, artifacts: false}"),
    base: twoJobs("{job: a}"),
    effect: ["test/support/artifact-flow.ts", "need_without_artifacts:"],
  },
};
const IMAGE: Record<string, Entry> = {
  name: { yaml: job("image: {name: alpine}"), effect: ["test/docker/executor.test.ts", "a step runs in the image"] },
  entrypoint: {
    yaml: job('image: {name: alpine, entrypoint: [""]}'),
    base: job("image: {name: alpine}"),
    effect: ["test/docker/executor.test.ts", "an image entrypoint is honoured"],
  },
};
const service = (extra: string) => job(`services: [{name: redis${extra}}]`);
const SERVICE: Record<string, Entry> = {
  name: { yaml: service(""), effect: [DOCKER_SERVICES, "a service answers by its aliases"] },
  alias: {
    yaml: service(", alias: db"),
    base: service(""),
    effect: [DOCKER_SERVICES, "a service answers by its aliases"],
  },
  variables: {
    yaml: service(", variables: {A: b}"),
    base: service(""),
    effect: [DOCKER_SERVICES, "with the job's and its own variables"],
  },
  command: {
    yaml: service(", command: [sh]"),
    base: service(""),
    effect: [DOCKER_SERVICES, "a service that exits is reported with its logs"],
  },
  entrypoint: {
    yaml: service(', entrypoint: [""]'),
    base: service(""),
    effect: [COMPILE, "image and services in both forms; entrypoint"],
  },
};
const POLICY: Record<string, Entry> = {
  refs: {
    yaml: `${job("only: {refs: [tags]}")}other: {script: y}\n`,
    base: `${BASE}other: {script: y}\n`,
    effect: [RULES, "hash form: refs and variables must all hold for only"],
  },
  variables: {
    yaml: `${job("only: {variables: [$NOPE]}")}other: {script: y}\n`,
    base: `${BASE}other: {script: y}\n`,
    effect: [RULES, "hash form: refs and variables must all hold for only"],
  },
  changes: {
    yaml: `${job("only: {changes: [a]}")}other: {script: y}\n`,
    base: `${BASE}other: {script: y}\n`,
    changed: ["b"],
    effect: [RULES, "changes: always true unless a push tells which files changed"],
  },
};

const GLOBAL_VARIABLE: Record<string, Entry> = {
  value: {
    yaml: `variables: {A: {value: b}}\n${BASE}`,
    effect: ["test/integration/gitlab-semantics.test.ts", "a passing run"],
  },
  expand: {
    yaml: `variables: {A: {value: $B, expand: false}}\n${BASE}`,
    base: `variables: {A: {value: $B}}\n${BASE}`,
    effect: ["src/pipeline/compile.test.ts", "expand"],
  },
  description: { warns: `variables: {A: {value: b, description: the A}}\n${BASE}` },
  options: { warns: `variables: {A: {value: b, options: [b, c]}}\n${BASE}` },
};

const planJson = (yaml: string, repo: RepositoryFiles | null = null, changedPaths?: string[]) =>
  JSON.stringify({ ...planOf(yaml, pushContext(changedPaths ? { changedPaths } : {}), repo), warnings: [] }, (k, v) =>
    k === "warnings" ? undefined : v,
  );

function check(group: string, accepted: Iterable<string>, entries: Record<string, Entry>) {
  describe(group, () => {
    test("every accepted keyword has an entry, and every entry is accepted", () => {
      expect([...accepted].sort()).toEqual(Object.keys(entries).sort());
    });
    for (const [keyword, entry] of Object.entries(entries)) {
      test(keyword, () => {
        if ("pending" in entry && !existsSync(join(ROOT, entry.effect[0]))) {
          expect(entry.pending).toBe("h-artifacts");
        } else if ("refuses" in entry) {
          expect(lintPipeline(entry.refuses, null).errors.join("\n")).toContain(keyword);
        } else if ("warns" in entry) {
          const lint = lintPipeline(entry.warns, null);
          expect(lint.valid).toBe(true);
          expect(lint.warnings.join("\n")).toContain(`:${keyword} ${NOT_ACTED_ON}`);
          // The same words reach every job's log (the runner writes payload warnings as `WARNING: …`).
          expect(planOf(entry.warns).jobs[0]!.warnings?.join("\n")).toContain(`${keyword} ${NOT_ACTED_ON}`);
        } else {
          const repo = entry.repo ? gitRepo(entry.repo) : null;
          expect(planJson(entry.yaml, repo, entry.changed)).not.toBe(planJson(entry.base ?? BASE, null, entry.changed));
          const [file, title] = entry.effect;
          expect(readFileSync(join(ROOT, file), "utf8")).toContain(title);
        }
      });
    }
  });
}

check("job keywords", JOB_KEYS, JOB);
check("cache keywords", CACHE_KEYS, CACHE_ENTRIES);
check("environment keywords", ENVIRONMENT_KEYS, ENVIRONMENT);
check("top-level keywords", RESERVED, TOP);
check("workflow keywords", WORKFLOW_KEYS, WORKFLOW);
check("workflow:auto_cancel keywords", AUTO_CANCEL_KEYS, AUTO_CANCEL);
check("global variable keywords", GLOBAL_VARIABLE_KEYS, GLOBAL_VARIABLE);
check("rules keywords", JOB_RULES.keys, JOB_RULE);
check("retry keywords", RETRY_KEYS, RETRY);
check("needs keywords", NEED_KEYS, NEED);
check("image keywords", IMAGE_KEYS, IMAGE);
check("services keywords", SERVICE_KEYS, SERVICE);
check("only/except keywords", POLICY_KEYS, POLICY);
check("workflow:rules keywords", WORKFLOW_RULES.keys, WORKFLOW_RULE);

test("a plan without such keywords has no warnings, so job logs stay clean", () => {
  expect(planOf(BASE).jobs[0]!.warnings).toBeUndefined();
  expect(lintPipeline(BASE, null).warnings).toEqual([]);
});
