// Runs one job from the payload to finishJob: log header, the job's phases, the closing line, the result.
import type { Coordinator, JobPayload, JobResult, RunnerInfo, TerminalBroker } from "../domain/coordinator.ts";
import type { DebugPauses } from "../domain/debug.ts";
import type { TraceLost } from "../domain/trace-lost.ts";
import type { ExecutorProvider } from "../executor/types.ts";
import { createLogger, type Logger } from "../logger.ts";
import { createJobControl } from "./job-control.ts";
import { ANSI, createJobLog } from "./job-log.ts";
import { runJobPhases, systemFailureOf } from "./job-phases.ts";
import { prepareJobVariables } from "./job-variables.ts";
import { closingLine, type Outcome, toJobResult } from "./outcome.ts";
import { projectDirFor } from "./sources.ts";
import { createTraceWriter } from "./trace-writer.ts";

/** GitLab's default job timeout, for a payload that carries none. */
const DEFAULT_TIMEOUT_SECONDS = 3600;
const FINISH_RETRY_DELAYS_MS = [200, 1000, 5000];

export interface JobRunnerDeps {
  coordinator: Coordinator;
  executors: ExecutorProvider;
  broker: TerminalBroker;
  runner: RunnerInfo;
  /** Absolute. */
  buildsDir: string;
  /** The runner's concurrency slot running this job (CI_CONCURRENT_ID, part of the build path). */
  slot: number;
  version: string;
  /** Aborts when the runner stops: the job ends as canceled. */
  stopSignal: AbortSignal;
  /** Where a log or result that cannot be sent is reported; standard error at info when absent. */
  logger?: Logger;
  /** Bytes of log kept per job (gitlab-runner's `output_limit`); later output is dropped. */
  outputLimitBytes?: number;
  /** Where a debugged job waits for Continue; absent: breakpoints and debug on failure are off on this runner. */
  pauses?: DebugPauses;
}

/**
 * Runs `job` to its end and reports it: every byte of the log is appended before finishJob, which is called
 * exactly once. Never throws: whatever goes wrong becomes the job's result.
 */
export async function runJob(job: JobPayload, deps: JobRunnerDeps): Promise<JobResult> {
  const logger = deps.logger ?? createLogger();
  const timeoutSeconds = job.timeoutSeconds > 0 ? job.timeoutSeconds : DEFAULT_TIMEOUT_SECONDS;
  const control = createJobControl(deps.coordinator, job.id, timeoutSeconds, deps.stopSignal);
  let lost: TraceLost | null = null;
  const trace = createTraceWriter(deps.coordinator, job.id, deps.outputLimitBytes, (error) => {
    lost ??= error;
    control.fail(error.message);
  });
  let projectDir = "";
  let pathError: unknown = null;
  try {
    projectDir = projectDirFor(deps.buildsDir, deps.slot, job.projectPath);
  } catch (err) {
    pathError = err;
  }
  const prepared = prepareJobVariables({
    job,
    runner: deps.runner,
    version: deps.version,
    slot: deps.slot,
    buildsDir: deps.buildsDir,
    projectDir,
  });
  const log = createJobLog(prepared.maskedPhrases, trace.write);
  log.header(`Running with porthole ${deps.version}`);
  log.info(`  on ${deps.runner.name} ${deps.runner.id}`);
  for (const warning of prepared.warnings) log.warning(warning);
  for (const warning of job.warnings ?? []) log.warning(warning);

  let outcome: Outcome;
  try {
    outcome = pathError
      ? systemFailureOf(pathError)
      : await runJobPhases({
          job,
          deps,
          projectDir,
          variables: prepared.variables,
          maskedPhrases: prepared.maskedPhrases,
          log,
          control,
          timeoutSeconds,
        });
  } catch (err) {
    outcome = systemFailureOf(err);
  }
  if (lost && outcome.kind !== "system_failure") outcome = logLost(lost);
  if (lost) trace.resume(); // the output after the loss was dropped; the closing line goes out alone
  const closing = closingLine(outcome);
  if (closing.ok) log.notice(closing.text);
  else log.error(closing.text);
  log.end();
  control.dispose();
  try {
    await trace.close();
    if (lost && outcome.kind !== "system_failure") {
      // Bytes were dropped only after the closing line was written: the job failed all the same.
      outcome = logLost(lost);
      trace.resume();
      trace.write(new TextEncoder().encode(`${ANSI.boldRed}ERROR: ${closingLine(outcome).text}${ANSI.reset}\n`));
      await trace.close();
    }
  } catch (err) {
    logger.error("the job log could not be sent completely", { job: job.id, error: err });
  }
  const result = toJobResult(outcome);
  await finishWithRetry(deps.coordinator, job.id, result, logger);
  return result;
}

/** A job whose log bytes the server dropped ends as a system failure saying why (the disk is full). */
function logLost(error: TraceLost): Outcome {
  return { kind: "system_failure", message: error.message, reason: "runner_system_failure" };
}

async function finishWithRetry(
  coordinator: Coordinator,
  jobId: number,
  result: JobResult,
  logger: Logger,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await coordinator.finishJob(jobId, result);
    } catch (err) {
      const delay = FINISH_RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        logger.error("the job result could not be reported", { job: jobId, status: result.status, error: err });
        return;
      }
      await Bun.sleep(delay);
    }
  }
}
