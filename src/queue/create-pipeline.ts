// Creates a pipeline: resolves the ref, reads and compiles the CI file, stores the pipeline and its jobs at once.
import { type CommitInfo, NULL_SHA } from "../domain/commit.ts";
import { badRequest, notFound } from "../domain/errors.ts";
import { maskText } from "../domain/masker.ts";
import { MAIN_FILE } from "../pipeline/errors.ts";
import { DEFAULT_AUTO_CANCEL, formatError, jobLimitMessage } from "../pipeline/index.ts";
import type { ConfigError, LintResult, PipelineContext } from "../pipeline/types.ts";
import { compilePool, type IncludeHost, type ServedFiles } from "../pipeline/worker/compile-pool.ts";
import type { PipelineRow, ProjectRow } from "../store/rows.ts";
import { autoCancelRedundantPipelines } from "./auto-cancel.ts";
import type { QueueContext } from "./context.ts";
import { recordDeployments } from "./deployments.ts";
import type { GitMirror, ResolvedRef } from "./git-mirror.ts";
import { pipelineVariables, visibleProjectVariables } from "./job-variables.ts";
import { newPipelineJobs } from "./new-pipeline-jobs.ts";
import { serverVariables } from "./predefined-variables.ts";
import { projectOpener } from "./project-files.ts";
import { assertMayCreateOn } from "./ref-guard.ts";
import { remoteIncludeCache } from "./remote-includes.ts";
import { commitInfo, type RepositoryReader } from "./repository-reader.ts";
import type { CreatePipelineInput } from "./types.ts";
import { loadVariableContext } from "./variable-context.ts";

interface Source {
  content: string;
  sha: string;
  tag: boolean;
  repo: ServedFiles | null;
  /** The commit's details; null for a project whose CI file is given inline (it has no commit). */
  commit: CommitInfo | null;
}

export function getProject(q: QueueContext, projectId: number): ProjectRow {
  const project = q.repos.projects.findById(projectId);
  if (!project) throw notFound("Project");
  return project;
}

/** Whether the fetches done for `userId` need the SSRF guard: everyone's but an admin's. */
export function guardedFor(q: QueueContext, userId: number | null): boolean {
  return !(userId !== null && q.repos.users.findById(userId)?.admin);
}

/** Where the ref's commit comes from: `import_url` (fetched), the hosted repository `git push` fills, or ci_config. */
async function resolveRef(
  mirror: GitMirror,
  project: ProjectRow,
  ref: string,
  guarded: boolean,
  fetched = false,
): Promise<ResolvedRef | null> {
  if (project.importUrl && !fetched) return mirror.resolve(project.id, project.importUrl, ref, guarded);
  if (!project.importUrl && !mirror.hasRepository(project.id)) return null;
  const found = await mirror.resolveLocal(project.id, ref);
  if (!found) throw badRequest("Reference not found", { base: ["Reference not found"] });
  return found;
}

/** The CI file's text at the ref (or at `pinned`, a push's sha), and what else the compiler needs to see. */
async function readSource(
  mirror: GitMirror,
  project: ProjectRow,
  ref: string,
  guarded: boolean,
  pinned?: string,
  /** A child pipeline brings its own configuration: the project's CI file need not exist. */
  ownConfig = false,
): Promise<Source> {
  // A push's sha was fetched just before (or written by `git push`): no second fetch.
  const resolved = await resolveRef(mirror, project, ref, guarded, pinned !== undefined);
  if (!resolved) {
    const content = project.ciConfig ?? "";
    if (!content.trim() && !ownConfig) throw badRequest("Missing CI config file", { base: ["Missing CI config file"] });
    const sha = pinned ?? new Bun.CryptoHasher("sha1").update(content).digest("hex");
    return { content, sha, tag: false, repo: null, commit: null };
  }
  // A pushed annotated tag names its tag object: the pipeline runs the commit it points at.
  const sha = pinned ? await mirror.commitOf(project.id, pinned) : resolved.sha;
  if (!sha) throw badRequest(`Commit ${pinned} not found`, { base: [`Commit ${pinned} not found`] });
  const repo = await mirror.files(project.id, sha);
  const content = (await repo.read(project.ciConfigPath)) ?? (ownConfig ? "" : null);
  if (content === null) throw badRequest("Missing CI config file", { base: ["Missing CI config file"] });
  // A hosted project's repository is always there: the reader fetches nothing for it.
  const reader = await mirror.reader(project.id, project.importUrl ?? "", guarded);
  const found = await reader.commit(sha);
  const tagMessage = resolved.tag ? (await reader.tags()).find((t) => t.name === ref)?.message : null;
  const commit = found && { ...commitInfo(found), ...(tagMessage ? { tagMessage } : {}) };
  return { content, sha, tag: resolved.tag, repo, commit };
}

/** A child pipeline's source: its own configuration, with the artifacts it includes laid over the commit's files. */
function childSource(parent: Source, config: NonNullable<CreatePipelineInput["config"]>): Source {
  const extra = new Map(Object.entries(config.files));
  if (extra.size === 0) return { ...parent, content: config.content };
  const base = parent.repo;
  const repo: ServedFiles = {
    ...base,
    read: async (path) => extra.get(path) ?? (await base?.read(path)) ?? null,
    list: () => [...(base?.list() ?? []), ...extra.keys()],
  };
  return { ...parent, content: config.content, repo };
}

export async function createPipeline(
  q: QueueContext,
  mirror: GitMirror,
  input: CreatePipelineInput,
): Promise<PipelineRow> {
  const project = getProject(q, input.projectId);
  const ref = input.ref?.trim() || project.defaultBranch;
  const read = await readSource(mirror, project, ref, guardedFor(q, input.userId), input.sha, !!input.config);
  const source = input.config ? childSource(read, input.config) : read;
  assertMayCreateOn(q, input.userId, project, { name: ref, tag: source.tag });
  const draft: PipelineRow = {
    id: 0,
    projectId: project.id,
    iid: project.pipelineIidSeq + 1,
    ref,
    tag: source.tag,
    sha: source.sha,
    scheduleId: input.scheduleId ?? null,
    source: input.source,
    status: "created",
    userId: input.userId,
    variables: input.variables,
    yamlVariables: [],
    autoCancel: DEFAULT_AUTO_CANCEL,
    name: null,
    createdAt: new Date(),
    updatedAt: null,
    startedAt: null,
    finishedAt: null,
    beforeSha: input.beforeSha ?? NULL_SHA,
    commit: source.commit,
    upstreamJobId: input.upstream?.jobId ?? null,
    upstreamPipelineId: input.upstream?.pipelineId ?? null,
  };
  const varCtx = loadVariableContext(q, project, draft);
  const ctx: PipelineContext = {
    ref,
    tag: source.tag,
    source: input.source,
    variables: Object.fromEntries(
      [...pipelineVariables(varCtx), ...visibleProjectVariables(varCtx), ...input.variables].map((v) => [
        v.key,
        v.value,
      ]),
    ),
  };
  // A branch push knows what it changed (`rules:changes`); a new branch, a tag and other sources do not (always true).
  const before = draft.beforeSha;
  if (source.repo && input.source === "push" && !source.tag && before !== NULL_SHA) {
    const changed = await mirror.pushChangedPaths(project.id, before, source.sha);
    if (changed) ctx.changedPaths = changed;
  }
  const masked = varCtx.projectVariables.filter((v) => v.masked);
  const host = includeHost(q, mirror, source.repo, input.userId, masked);
  const compiled = await compilePool().compile(source.content, ctx, source.repo, q.maxJobsPerPipeline, host);
  if (!compiled.ok) {
    // A path or name built from a masked variable (`include: "cfg/$SECRET.yml"`) must not show its value.
    const secrets = masked.map((v) => v.value);
    // A child's main file is the trigger's `include:`, written by porthole: a place in it would mean nothing.
    const placed = (e: ConfigError) => (input.config && e.file === MAIN_FILE ? { message: e.message } : e);
    const messages = compiled.errors.map((error) => maskText(formatError(placed(error)), secrets));
    throw badRequest(messages.join("; "), { base: messages });
  }
  const plan = compiled.plan;
  if (plan.jobs.length === 0) {
    throw badRequest("No stages / jobs for this pipeline.", { base: ["No stages / jobs for this pipeline."] });
  }
  if (plan.jobs.length > q.maxJobsPerPipeline) {
    const message = jobLimitMessage(plan.jobs.length, q.maxJobsPerPipeline);
    throw badRequest(message, { base: [message] });
  }
  const jobs = newPipelineJobs(plan.jobs, { projectId: project.id, userId: input.userId });
  // The plan arrived from the compile worker in this turn (its copy cost the event loop already): store it in the next.
  await nextTurn();
  const { pipeline, stored } = q.transaction((tx) => {
    const iid = tx.projects.nextPipelineIid(project.id);
    const row = tx.pipelines.insert({
      ...draft,
      id: undefined,
      iid,
      yamlVariables: plan.variables,
      name: plan.name ?? null,
      autoCancel: plan.autoCancel,
      createdAt: undefined,
    });
    const stored = tx.jobs.insertPlanned(jobs.rows(row.id));
    if (plan.jobs.some((job) => job.environment)) recordDeployments(tx, row, stored);
    return { pipeline: row, stored };
  });
  q.events.pipelineChanged(pipeline);
  jobs.announce(q, pipeline.id, stored);
  // A child pipeline is part of its parent: the parent's creation already canceled what it made redundant. In a turn
  // of its own (an older 1000-job pipeline's cancel takes ~9 ms), and the answer in the next.
  if (input.source !== "parent_pipeline") {
    await nextTurn();
    autoCancelRedundantPipelines(q, pipeline);
    await nextTurn();
  }
  return q.repos.pipelines.findById(pipeline.id) ?? pipeline;
}

/**
 * Lets the event loop serve whatever waits (timers, other requests' I/O) before going on. A timer, not setImmediate:
 * Bun runs immediates before it polls for I/O again, so a request waiting meanwhile would still wait for both turns.
 */
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Lints `content` as the project's CI file; `include:local` reads the default branch's files. Without a project:
 * as the file of a project without a repository.
 */
export async function lintProjectConfig(
  q: QueueContext,
  mirror: GitMirror,
  projectId: number | null,
  content: string,
  userId: number | null,
): Promise<LintResult> {
  const project = projectId === null ? null : getProject(q, projectId);
  let repo: ServedFiles | null = null;
  const found =
    project && (await resolveRef(mirror, project, project.defaultBranch, guardedFor(q, userId)).catch(() => null));
  if (project && found) repo = await mirror.files(project.id, found.sha);
  // `includes` name the linted project where the compiler leaves the including project out (its own files).
  const own = (result: LintResult): LintResult => {
    if (!result.includes || !project) return result;
    const path = `${project.namespace}/${project.path}`;
    const sha = repo?.sha ?? null;
    const includes = result.includes.map((file) =>
      file.context_project === null ? { ...file, context_project: path, context_sha: sha } : file,
    );
    return { ...result, includes };
  };
  // `expand_vars` refuses the project's masked variables here too, as at creation.
  const masked = project ? q.repos.variables.ofProject(project.id).filter((v) => v.masked) : [];
  const host = includeHost(q, mirror, repo, userId, masked);
  // Before a ref, the variables known are the server's (what component addresses are written with).
  host.variables = Object.fromEntries(serverVariables(q.externalUrl).map((v) => [v.key, v.value]));
  return own(await compilePool().lint(content, repo, q.maxJobsPerPipeline, host));
}

/**
 * What the compile pool asks this thread for one creation (or lint) by `userId`: other projects' files, read where
 * that user may read code, when the pipeline has a repository of its own (as in GitLab, a file given inline has no
 * project context); `include:remote` files, each fetched once through the SSRF guard; the masked variables' names.
 */
function includeHost(
  q: QueueContext,
  mirror: GitMirror,
  repo: ServedFiles | null,
  userId: number | null,
  masked: readonly { key: string }[],
): IncludeHost {
  return {
    ...(repo ? { openProject: projectOpener(q, mirror, userId) } : {}),
    fetchRemote: remoteIncludeCache(q.remoteIncludes),
    masked: masked.map((v) => v.key),
  };
}

/** The project's repository (mirror or hosted), for reading branches, tags, commits and files; null when none. */
export async function projectRepository(
  q: QueueContext,
  mirror: GitMirror,
  projectId: number,
  userId: number | null,
): Promise<RepositoryReader | null> {
  const project = getProject(q, projectId);
  if (project.importUrl) return mirror.reader(project.id, project.importUrl, guardedFor(q, userId));
  // A hosted project's repository is the one `git push` fills (none before the first push).
  return mirror.hasRepository(project.id) ? mirror.reader(project.id, "", false) : null;
}
