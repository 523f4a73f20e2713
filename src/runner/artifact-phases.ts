// The artifact phases of a job: download the dependencies' artifacts before the script, upload after after_script.
import { realpathSync } from "node:fs";
import { ArtifactRefused, type PayloadArtifact } from "../domain/artifacts.ts";
import { ZipRefused } from "../shared/zip-archive.ts";
import { collectArtifacts } from "./artifacts-collect.ts";
import { unpackArtifacts } from "./artifacts-unpack.ts";
import { runGit } from "./git.ts";
import type { JobPhasesInput } from "./job-phases.ts";
import type { Outcome } from "./outcome.ts";
import { projectTree } from "./project-tree.ts";
import { gitDirFor } from "./sources.ts";

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Unpacks every dependency's archive into the project dir; an outcome when the job must fail, else null. */
export async function downloadDependencies(input: JobPhasesInput): Promise<Outcome | null> {
  const { job, deps, log, projectDir } = input;
  for (const dep of job.dependencies) {
    log.info(`Downloading artifacts for ${dep.name} (${dep.id})...`);
    try {
      const zip = await deps.coordinator.downloadArtifacts(job.id, dep.id);
      if (!zip) continue;
      const unpacked = unpackArtifacts(projectDir, zip, job.artifactLimits);
      log.info(`Downloading artifacts from coordinator... ok        id=${dep.id} responseStatus=200 OK`);
      for (const line of unpacked.skipped) log.warning(line);
    } catch (err) {
      const message =
        err instanceof ArtifactRefused || err instanceof ZipRefused
          ? `artifacts of ${dep.name} (${dep.id}): ${err.message}`
          : `artifacts of ${dep.name} (${dep.id}) could not be downloaded: ${describe(err)}`;
      return { kind: "system_failure", message, reason: "missing_dependency_failure" };
    }
  }
  return null;
}

/** Whether an artifact entry is collected for this outcome (`when`; never for canceled or stopped jobs). */
function applies(artifact: PayloadArtifact, outcome: Outcome): boolean {
  if (outcome.kind === "canceled" || outcome.kind === "stopped") return false;
  if (artifact.when === "always") return true;
  return (artifact.when === "on_success") === (outcome.kind === "success");
}

/** Collects and uploads the job's artifacts; the outcome becomes a failure when an upload was refused. */
export async function uploadArtifacts(input: JobPhasesInput, outcome: Outcome): Promise<Outcome> {
  const { job, deps, log, projectDir } = input;
  for (const artifact of job.artifacts.filter((a) => applies(a, outcome))) {
    if (artifact.type === "archive") log.notice("Uploading artifacts...");
    let collected: ReturnType<typeof collectArtifacts>;
    try {
      const untracked = artifact.untracked ? await untrackedFiles(input) : [];
      collected = collectArtifacts(projectDir, artifact, untracked, job.artifactLimits);
    } catch (err) {
      log.warning(`${artifact.type}: artifacts could not be collected: ${describe(err)}`);
      continue;
    }
    for (const line of collected.lines) {
      if (line.warning) log.warning(line.text);
      else log.info(line.text);
    }
    const refuse = (why: string): Outcome => {
      log.error(`Uploading artifacts as "${artifact.type}" to coordinator... ${why}`);
      return outcome.kind === "success" ? { kind: "system_failure", message: why, reason: "unknown_failure" } : outcome;
    };
    if (collected.overLimit) return refuse(collected.overLimit);
    if (!collected.zip) continue;
    try {
      await deps.coordinator.uploadArtifacts(job.id, { type: artifact.type, bytes: collected.zip });
      log.info(
        `Uploading artifacts as "${artifact.type}" to coordinator... 201 Created  id=${job.id} responseStatus=201 Created`,
      );
    } catch (err) {
      return refuse(err instanceof ArtifactRefused ? err.message : `upload failed: ${describe(err)}`);
    }
  }
  return outcome;
}

/** `untracked: true`: the files git neither tracks nor ignores (every file when the job has no git sources). */
async function untrackedFiles(input: JobPhasesInput): Promise<string[]> {
  if (input.job.sources.kind !== "git") {
    const tree = projectTree(realpathSync(input.projectDir), input.job.artifactLimits.maxFiles + 1);
    return tree
      .under("")
      .filter(([, info]) => !info.dir && !info.symlink)
      .map(([path]) => path);
  }
  const place = { gitDir: gitDirFor(input.deps.buildsDir, input.projectDir), workTree: input.projectDir };
  // Its own deadline: the job's signal has aborted already when a timed-out job uploads.
  const run = await runGit(["ls-files", "-z", "--others", "--exclude-standard"], place, AbortSignal.timeout(60_000));
  if (run.code !== 0) return [];
  return run.output.split("\0").filter((p) => p.length > 0);
}
