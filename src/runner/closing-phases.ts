// The phases after the script: after_script, then saving caches and uploading artifacts once nothing of the job runs.
import { goDuration } from "../domain/go-duration.ts";
import type { Executor, OutputSink } from "../executor/types.ts";
import { uploadArtifacts } from "./artifact-phases.ts";
import { type CachePlace, type KeyedCache, saveCaches } from "./cache/cache-phases.ts";
import { AFTER_SCRIPT_TIMEOUT_MS } from "./job-control.ts";
import { inSection, type JobLog, type SectionName } from "./job-log.ts";
import type { JobPhasesInput } from "./job-phases.ts";
import { type Outcome, statusForAfterScript } from "./outcome.ts";
import { buildAfterScript } from "./script-builder.ts";

/** Ends the job's environment, then runs `body` in its section; if the job does not end, warns `not <what>` instead. */
async function onceJobEnded<T>(
  log: JobLog,
  section: { name: SectionName; title: string; what: string },
  endJob: () => Promise<void> | undefined,
  notDone: T,
  body: () => Promise<T>,
): Promise<T> {
  return inSection(log, section.name, section.title, async () => {
    try {
      await endJob();
    } catch (err) {
      log.warning(`not ${section.what}: the job's environment did not end (${(err as Error).message})`);
      return notDone;
    }
    return body();
  });
}

export function uploadJobArtifacts(
  input: JobPhasesInput,
  outcome: Outcome,
  endJob: () => Promise<void> | undefined,
): Promise<Outcome> {
  const ok = outcome.kind === "success";
  const section = {
    name: ok ? ("upload_artifacts_on_success" as const) : ("upload_artifacts_on_failure" as const),
    title: ok ? "Uploading artifacts for successful job" : "Uploading artifacts for failed job",
    what: "uploading artifacts",
  };
  return onceJobEnded(input.log, section, endJob, outcome, () => uploadArtifacts(input, outcome));
}

export function saveJobCaches(
  place: CachePlace,
  toSave: KeyedCache[],
  succeeded: boolean,
  endJob: () => Promise<void> | undefined,
): Promise<void> {
  const section = {
    name: succeeded ? ("archive_cache" as const) : ("archive_cache_on_failure" as const),
    title: succeeded ? "Saving cache for successful job" : "Saving cache for failed job",
    what: "saving caches",
  };
  return onceJobEnded(place.log, section, endJob, undefined, () => saveCaches(place, toSave));
}

export async function runAfterScript(executor: Executor, input: JobPhasesInput, outcome: Outcome, sink: OutputSink) {
  const { log, job, control } = input;
  const signal = control.afterScriptSignal();
  const warn = (why: string) => log.warning(`after_script failed, but job will continue unaffected: ${why}`);
  await inSection(log, "after_script", "Running after_script", async () => {
    log.notice("Running after script...");
    try {
      const step = {
        name: "after_script" as const,
        script: buildAfterScript(job.afterScript, statusForAfterScript(outcome)),
      };
      const code = await executor.run(step, sink, signal);
      const timedOut = signal.aborted && signal.reason instanceof DOMException && signal.reason.name === "TimeoutError";
      if (timedOut) warn(`execution took longer than ${goDuration(AFTER_SCRIPT_TIMEOUT_MS / 1000)} seconds`);
      else if (code !== 0 && !signal.aborted) warn(`exit code ${code}`);
    } catch (err) {
      if (!signal.aborted) warn(err instanceof Error ? err.message : String(err));
    }
  });
}
