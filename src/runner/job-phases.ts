// A job's phases in GitLab's order: prepare, sources, cache restore, artifacts in, script, after_script, hold, cache
// save, artifacts out, cleanup (the ones after the script are in closing-phases.ts).
import type { JobPayload } from "../domain/coordinator.ts";
import { type Executor, type JobVariable, type OutputSink, SystemFailure } from "../executor/types.ts";
import { downloadDependencies } from "./artifact-phases.ts";
import {
  type CachePlace,
  cacheStoreFor,
  cachesToSave,
  type KeyedCache,
  keyCaches,
  restoreCaches,
} from "./cache/cache-phases.ts";
import { runAfterScript, saveJobCaches, uploadJobArtifacts } from "./closing-phases.ts";
import {
  type DebugPlan,
  debugPlanFor,
  holdAfterFailure,
  makeControlDir,
  removeControlDir,
  runDebugStep,
} from "./debug/debug-step.ts";
import type { JobControl } from "./job-control.ts";
import { inSection, type JobLog } from "./job-log.ts";
import type { JobRunnerDeps } from "./job-runner.ts";
import { abortedOutcome, type Outcome } from "./outcome.ts";
import { buildStepScript } from "./script-builder.ts";
import { ensureProjectDir, getSources, gitDirFor } from "./sources.ts";

export interface JobPhasesInput {
  job: JobPayload;
  deps: JobRunnerDeps;
  projectDir: string;
  variables: JobVariable[];
  /** What the job log masks; a terminal recording masks the same. */
  maskedPhrases: readonly string[];
  log: JobLog;
  control: JobControl;
  timeoutSeconds: number;
}

/** A thrown error as the job's outcome (an executor's SystemFailure keeps its reason). */
export function systemFailureOf(err: unknown): Outcome {
  if (err instanceof SystemFailure) return { kind: "system_failure", message: err.message, reason: err.reason };
  const message = err instanceof Error ? err.message : String(err);
  return { kind: "system_failure", message, reason: "runner_system_failure" };
}

/** Runs the phases and returns how the job ended; cleanup always runs, whatever happened before. */
export async function runJobPhases(input: JobPhasesInput): Promise<Outcome> {
  const { job, deps, projectDir, log, control } = input;
  const sink: OutputSink = { write: (bytes) => log.output(bytes), info: (line) => log.executorLine(line) };
  const aborted = () => {
    const cause = control.cause();
    return cause ? abortedOutcome(cause, input.timeoutSeconds, control.failure()) : null;
  };
  const held: { executor: Executor | null } = { executor: null };
  let offered = false;
  let scriptRan = false;
  let outcome: Outcome;
  const cachePlace: CachePlace = {
    caches: job.caches ?? [],
    storeDir: cacheStoreFor(deps.buildsDir, job.projectPath),
    projectDir,
    git: job.sources.kind === "git" ? { gitDir: gitDirFor(deps.buildsDir, projectDir), workTree: projectDir } : null,
    variables: input.variables,
    log,
    signal: control.signal,
  };
  let keyed: KeyedCache[] = [];
  const debug: DebugPlan | null = debugPlanFor(job, projectDir, deps.pauses, log);
  try {
    try {
      const ready = await inSection(
        log,
        "prepare_executor",
        `Preparing the "${deps.executors.name}" executor`,
        async () => {
          await ensureProjectDir(deps.buildsDir, projectDir);
          if (debug) await makeControlDir(debug);
          held.executor = deps.executors.create({
            jobId: job.id,
            pipelineId: job.pipelineId,
            runnerId: deps.runner.id,
            projectDir,
            buildsDir: deps.buildsDir,
            variables: input.variables,
            image: job.image,
            services: job.services,
            ...(debug ? { controlDir: debug.controlDir } : {}),
          });
          await held.executor.prepare(sink, control.signal);
          return held.executor;
        },
      );
      await inSection(log, "get_sources", "Getting source from Git repository", () =>
        getSources(
          job.sources,
          { gitDir: gitDirFor(deps.buildsDir, projectDir), workTree: projectDir },
          log,
          control.signal,
        ),
      );
      if (cachePlace.caches.length > 0) {
        await inSection(log, "restore_cache", "Restoring cache", async () => {
          keyed = await keyCaches(cachePlace);
          await restoreCaches(cachePlace, keyed);
        });
      }
      const missing =
        job.dependencies.length > 0
          ? await inSection(log, "download_artifacts", "Downloading artifacts", () => downloadDependencies(input))
          : null;
      if (missing) throw new MissingDependency(missing);
      // Offered once the sources are in place, so a terminal opens in the job's working tree.
      if (ready.openTerminal) {
        const secrets = [...input.maskedPhrases];
        deps.broker.offer({ jobId: job.id, open: (size) => ready.openTerminal!(size), secrets });
        offered = true;
      }
      control.signal.throwIfAborted();
      scriptRan = true;
      const step = { name: "step_script" as const, script: buildStepScript(job.beforeScript, job.script) };
      const code = await inSection(log, "step_script", `Executing "step_script" stage of the job script`, () =>
        debug ? runDebugStep(debug, job, ready, sink, control.signal) : ready.run(step, sink, control.signal),
      );
      outcome = aborted() ?? (code === 0 ? { kind: "success" } : { kind: "script_failure", exitCode: code });
      if (debug && outcome.kind === "script_failure") {
        control.endScriptTimeout(); // the hold has its own limits, as the one after the script does
        const hold = { jobId: job.id, exitCode: code, offered, broker: deps.broker, log };
        await holdAfterFailure(debug, hold, control.holdSignal());
      }
    } catch (err) {
      outcome = aborted() ?? (err instanceof MissingDependency ? err.outcome : systemFailureOf(err));
    }
    control.endScriptTimeout();
    const afterScriptApplies =
      outcome.kind === "success" || outcome.kind === "script_failure" || outcome.kind === "canceled";
    if (scriptRan && held.executor && job.afterScript.length > 0 && afterScriptApplies) {
      await runAfterScript(held.executor, input, outcome, sink);
    }
    const finishedScript = scriptRan && (outcome.kind === "success" || outcome.kind === "script_failure");
    const toSave = finishedScript ? cachesToSave(keyed, outcome.kind === "success") : [];
    if (offered && outcome.kind !== "canceled" && outcome.kind !== "stopped" && !aborted()) {
      await deps.broker.hold(job.id, (line) => log.info(line), control.holdSignal()).catch(() => {});
    }
    if (toSave.length > 0 && !aborted()) {
      // Nothing of the job may run while the runner reads its files (a process could swap a folder for a link
      // between the listing and the read): its terminals, processes and containers end first.
      if (offered) deps.broker.withdraw(job.id, "job_finished");
      offered = false;
      await saveJobCaches(cachePlace, toSave, outcome.kind === "success", () => held.executor?.cleanup());
    }
    // A timed-out job still uploads its `on_failure`/`always` artifacts, as gitlab-runner does; like caches, only
    // once nothing of the job runs any more.
    const cause = control.cause();
    if (held.executor && job.artifacts.length > 0 && cause !== "canceled" && cause !== "stopped") {
      if (offered) deps.broker.withdraw(job.id, "job_finished");
      offered = false;
      outcome = await uploadJobArtifacts(input, outcome, () => held.executor?.cleanup());
    }
    // A cancel that came during after_script or the hold still ends the job as canceled.
    const late = control.cause();
    if (late === "canceled" || late === "stopped") outcome = abortedOutcome(late, input.timeoutSeconds);
    return outcome;
  } finally {
    const cause = control.cause();
    if (offered)
      deps.broker.withdraw(job.id, cause === "canceled" || cause === "stopped" ? "canceled" : "job_finished");
    await inSection(
      log,
      "cleanup_file_variables",
      "Cleaning up project directory and file based variables",
      async () => {
        try {
          await held.executor?.cleanup();
        } catch (err) {
          log.warning(`cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (debug) await removeControlDir(debug).catch(() => {});
      },
    );
  }
}

/** A dependency's artifacts could not be had: the job fails before its script. */
class MissingDependency extends Error {
  constructor(readonly outcome: Outcome) {
    super("missing dependency");
  }
}
