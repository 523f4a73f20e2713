// Repository JSON: GitLab's Commit, CommitDetail, Branch, Tag and file entities, from the mirror's records.
import type { Commit, FileEntry, RefEntry, TagEntry } from "../../queue/repository-reader.ts";
import type { PipelineRow, ProjectRow } from "../../store/rows.ts";
import type { Lookups } from "./lookups.ts";
import { pipelineBasic } from "./pipeline.ts";

const projectUrl = (project: ProjectRow, look: Lookups) => `${look.baseUrl}/${project.namespace}/${project.path}`;

/** GitLab's Commit entity. */
export function commitEntity(commit: Commit, project: ProjectRow, look: Lookups) {
  return {
    id: commit.id,
    short_id: commit.id.slice(0, 8),
    created_at: commit.committedAt,
    parent_ids: commit.parentIds,
    title: commit.title,
    message: commit.message,
    author_name: commit.authorName,
    author_email: commit.authorEmail,
    authored_date: commit.authoredAt,
    committer_name: commit.committerName,
    committer_email: commit.committerEmail,
    committed_date: commit.committedAt,
    trailers: {},
    extended_trailers: {},
    web_url: `${projectUrl(project, look)}/-/commit/${commit.id}`,
  };
}

/** GitLab's CommitDetail: the commit with its latest pipeline (`last_pipeline`) and that pipeline's status. */
export function commitDetail(
  commit: Commit,
  stats: { additions: number; deletions: number; total: number },
  project: ProjectRow,
  last: PipelineRow | null,
  look: Lookups,
) {
  return {
    ...commitEntity(commit, project, look),
    stats,
    status: last?.status ?? null,
    project_id: project.id,
    last_pipeline: last ? pipelineBasic(last, look) : null,
  };
}

export interface BranchFacts {
  /** Reachable from the default branch. */
  merged: boolean;
  protected: boolean;
  default: boolean;
  /** Whether the caller may push to it (Developers unless protected, Maintainers always). */
  canPush: boolean;
}

/** GitLab's Branch entity. */
export function branchEntity(ref: RefEntry, facts: BranchFacts, project: ProjectRow, look: Lookups) {
  return {
    name: ref.name,
    merged: facts.merged,
    protected: facts.protected,
    default: facts.default,
    developers_can_push: !facts.protected,
    developers_can_merge: !facts.protected,
    can_push: facts.canPush,
    web_url: `${projectUrl(project, look)}/-/tree/${ref.name}`,
    commit: commitEntity(ref.commit, project, look),
  };
}

/** GitLab's Tag entity (porthole has no releases or protected tags). */
export function tagEntity(tag: TagEntry, project: ProjectRow, look: Lookups) {
  return {
    name: tag.name,
    message: tag.message,
    target: tag.target,
    commit: commitEntity(tag.commit, project, look),
    release: null,
    protected: false,
    created_at: null,
  };
}

/** GitLab's file JSON (`GET …/repository/files/:path`), content in base64. */
export function fileEntity(file: FileEntry, content: Uint8Array, ref: string) {
  return {
    file_name: file.path.split("/").pop()!,
    file_path: file.path,
    size: file.size,
    encoding: "base64",
    content: Buffer.from(content).toString("base64"),
    content_sha256: new Bun.CryptoHasher("sha256").update(content).digest("hex"),
    ref,
    blob_id: file.blobId,
    commit_id: file.commitId,
    last_commit_id: file.lastCommitId,
    execute_filemode: false,
  };
}
