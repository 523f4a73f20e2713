// `include:project` for the queue: another project's files at a ref, if the pipeline's user may read its code.

import { resolveProject } from "../auth/access.ts";
import type { Actor } from "../auth/actor.ts";
import type { RepositoryFiles } from "../pipeline/types.ts";
import type { QueueContext } from "./context.ts";
import type { GitMirror } from "./git-mirror.ts";

/**
 * The compiler's `openProject` for a pipeline created by `userId`: the project must exist and the user must be
 * allowed `read_code` there (a project they cannot see reads as not found, as GitLab's message says); `HEAD` is
 * the project's default branch. Files come from the project's mirror as last fetched; a project without a
 * repository has no refs. An anonymous pipeline (no user) can open no project.
 */
export function projectOpener(
  q: QueueContext,
  mirror: GitMirror,
  userId: number | null,
): NonNullable<RepositoryFiles["openProject"]> {
  const user = userId === null ? null : q.repos.users.findById(userId);
  const actor: Actor | null = user ? { user, via: "token", scopes: ["read_api"] } : null;
  return (path, ref) => {
    if (!actor) return "not_found";
    const access = resolveProject(q.db, actor, path, "read_code");
    if (!access.ok) return "not_found";
    const { project } = access;
    if (!project.importUrl) return "no_ref";
    return mirror.filesAtRefSync(project.id, ref === "HEAD" ? project.defaultBranch : ref) ?? "no_ref";
  };
}
