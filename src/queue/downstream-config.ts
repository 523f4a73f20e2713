// What a bridge hands down: a child pipeline's configuration (its `trigger:include`, artifacts read from the parent)
// and the variables it forwards (GitLab's `Ci::Bridge#downstream_variables`).
import { stringify } from "yaml";
import { expandValue } from "../domain/variables.ts";
import { readZipFileOrNull } from "../shared/zip-archive.ts";
import type { JobRow, PipelineRow, ProjectRow } from "../store/rows.ts";
import type { QueueContext } from "./context.ts";
import { jobVariables } from "./job-variables.ts";
import { loadVariableContext } from "./variable-context.ts";

/** A child's CI text (`include:` the trigger's entries) and the artifact files those entries read. */
export type ChildConfig = { content: string; files: Record<string, string> } | { error: string };

/** GitLab's `yaml_for_downstream`: `include:` with the trigger's entries; artifacts are read from the parent now. */
export function childConfig(q: QueueContext, bridge: JobRow, parent: PipelineRow): ChildConfig {
  const files: Record<string, string> = {};
  const entries: unknown[] = [];
  for (const entry of bridge.spec.trigger?.include ?? []) {
    const artifact = artifactEntry(entry);
    if (!artifact) {
      entries.push(entry);
      continue;
    }
    const text = readArtifact(q, parent, artifact.job, artifact.path);
    if (typeof text !== "string") return text;
    files[artifact.path] = text;
    entries.push({ local: artifact.path });
  }
  // YAML 1.1 as the compiler reads it (and block style, which the `include:project` pre-fetch recognises).
  const content = stringify({ include: entries }, { version: "1.1", lineWidth: 0 });
  return { content, files };
}

function artifactEntry(entry: unknown): { path: string; job: string } | null {
  if (typeof entry !== "object" || entry === null || !("artifact" in entry)) return null;
  const { artifact, job } = entry as { artifact: unknown; job: unknown };
  return typeof artifact === "string" && typeof job === "string" ? { path: artifact, job } : null;
}

/** The file at `path` in the archive of the parent pipeline's job `jobName`, with GitLab's messages when not there. */
function readArtifact(q: QueueContext, parent: PipelineRow, jobName: string, path: string): string | { error: string } {
  const job = q.repos.jobs.currentOfPipeline(parent.id).find((j) => j.name === jobName && j.kind === "build");
  const row = job && q.artifacts.find(job.id, "archive");
  const archive = row && q.artifacts.read(row);
  if (!archive) return { error: `Job \`${jobName}\` not found in parent pipeline or does not have artifacts!` };
  const bytes = readZipFileOrNull(archive, path.replace(/^\/+/, ""), q.artifacts.limits.maxBytes);
  if (!bytes) return { error: `Path \`${path}\` does not exist inside the \`${jobName}\` artifacts archive!` };
  const text = new TextDecoder().decode(bytes);
  return text.trim() === "" ? { error: `File \`${path}\` is empty!` } : text;
}

/**
 * The variables the downstream pipeline gets as its own pipeline variables (above its YAML ones), lowest first:
 * the bridge's YAML variables (global and its own) with `forward:yaml_variables` (the default), then the upstream
 * pipeline's variables with `forward:pipeline_variables`. Values are expanded with what the bridge sees, unless raw.
 */
export function downstreamVariables(
  q: QueueContext,
  bridge: JobRow,
  pipeline: PipelineRow,
  project: ProjectRow,
): { key: string; value: string }[] {
  const forward = bridge.spec.trigger?.forward ?? { yamlVariables: true, pipelineVariables: false };
  const seen = bridgeVariables(q, bridge, pipeline, project, {
    crossProject: bridge.spec.trigger?.include === undefined,
  });
  const expand = (v: { value: string; raw?: boolean }) => (v.raw ? v.value : expandValue(v.value, (n) => seen.get(n)));
  const out = new Map<string, string>();
  if (forward.yamlVariables)
    for (const v of [...pipeline.yamlVariables, ...bridge.spec.variables]) out.set(v.key, expand(v));
  if (forward.pipelineVariables) for (const v of pipeline.variables) out.set(v.key, expand(v));
  return [...out].map(([key, value]) => ({ key, value }));
}

/**
 * Every variable the bridge sees (predefined, YAML, project, pipeline), last one of each name. For another project
 * (`crossProject`), protected project variables are left out, so that none of their values reaches it (GitLab's
 * `exclude_protected_variables_from_multi_project_pipeline_triggers`).
 */
export function bridgeVariables(
  q: QueueContext,
  bridge: JobRow,
  pipeline: PipelineRow,
  project: ProjectRow,
  { crossProject }: { crossProject: boolean },
): Map<string, string> {
  const ctx = loadVariableContext(q, project, pipeline);
  if (crossProject) ctx.projectVariables = ctx.projectVariables.filter((v) => !v.protected);
  const all = jobVariables(ctx, bridge);
  return new Map(all.map((v) => [v.key, v.value]));
}
