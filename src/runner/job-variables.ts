// The variables a job's processes get: the payload's, the runner's own, expanded; plus what the log must mask.
import type { JobPayload, RunnerInfo } from "../domain/coordinator.ts";
import { MIN_MASKED_LENGTH } from "../domain/masker.ts";
import { expandVariables } from "../domain/variables.ts";
import type { JobVariable } from "../executor/types.ts";

export interface JobVariablesInput {
  job: JobPayload;
  runner: RunnerInfo;
  version: string;
  slot: number;
  buildsDir: string;
  projectDir: string;
}

export interface PreparedVariables {
  variables: JobVariable[];
  /** Literal values the log replaces with [MASKED] (masked variables and the job token). */
  maskedPhrases: string[];
  /** Problems with the variables, for the log (never values). */
  warnings: string[];
}

/** gitlab-runner's `GOOS/GOARCH`: `linux/amd64`, `linux/arm64`. */
function executableArch(): string {
  const arch = { x64: "amd64", ia32: "386", arm: "arm" }[process.arch as string] ?? process.arch;
  return `${process.platform}/${arch}`;
}

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Resolves the job's variables, drops what no environment can carry, and lists the values to mask. */
export function prepareJobVariables(input: JobVariablesInput): PreparedVariables {
  const { job, runner } = input;
  const runnerDefined = [
    { key: "CI_BUILDS_DIR", value: input.buildsDir },
    { key: "CI_PROJECT_DIR", value: input.projectDir },
    { key: "CI_CONCURRENT_ID", value: String(input.slot) },
    { key: "CI_CONCURRENT_PROJECT_ID", value: String(input.slot) },
    { key: "CI_RUNNER_ID", value: String(runner.id) },
    { key: "CI_RUNNER_DESCRIPTION", value: runner.name },
    { key: "CI_RUNNER_TAGS", value: JSON.stringify(runner.tags) },
    { key: "CI_RUNNER_VERSION", value: input.version },
    { key: "CI_RUNNER_EXECUTABLE_ARCH", value: executableArch() },
    { key: "CI_JOB_STATUS", value: "running" },
  ];
  const warnings: string[] = [];
  const variables: JobVariable[] = [];
  for (const v of expandVariables(job.variables, runnerDefined)) {
    if (!VALID_NAME.test(v.key)) {
      warnings.push(`variable ${JSON.stringify(v.key)} skipped: a name may hold only A-Z, a-z, 0-9 and _`);
      continue;
    }
    if (v.value.includes("\0")) warnings.push(`variable ${v.key}: NUL characters removed from its value`);
    variables.push({ key: v.key, value: v.value.replaceAll("\0", ""), masked: v.masked });
  }
  const maskedPhrases: string[] = [];
  for (const v of variables.filter((x) => x.masked)) {
    if (v.value.length >= MIN_MASKED_LENGTH) maskedPhrases.push(v.value);
    else if (v.value.length > 0) {
      warnings.push(`variable ${v.key} is shorter than ${MIN_MASKED_LENGTH} characters and cannot be masked`);
    }
  }
  if (job.token.length >= MIN_MASKED_LENGTH) maskedPhrases.push(job.token);
  return { variables, maskedPhrases, warnings };
}
