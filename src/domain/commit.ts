// What porthole keeps of a pipeline's commit (for CI_COMMIT_* and the commit JSON); no I/O.

export interface CommitInfo {
  /** The first line of the message. */
  title: string;
  message: string;
  authorName: string;
  authorEmail: string;
  /** ISO 8601 with offset, as git prints it (`2026-12-01T16:54:23+00:00`). */
  authoredAt: string;
  committerName: string;
  committerEmail: string;
  committedAt: string;
  parentIds: string[];
  /** For a pipeline on an annotated tag: the tag's message. */
  tagMessage?: string;
}

/** Forty zeros: GitLab's before_sha for pipelines that are not pushes. */
export const NULL_SHA = "0000000000000000000000000000000000000000";
