// `include:project` for the queue: another project's files at a ref, if the pipeline's user may read its code.

import { resolveProject } from "../auth/access.ts";
import type { Actor } from "../auth/actor.ts";
import type { RepositoryFiles } from "../pipeline/types.ts";
import type { PooledRepository } from "../pipeline/worker/compile-pool.ts";
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
  const actor = actorOf(q, userId);
  return (path, ref) => {
    const project = readableProject(q, actor, path);
    if (!project) return "not_found";
    if (!project.importUrl) return "no_ref";
    return mirror.filesAtRefSync(project.id, ref === "HEAD" ? project.defaultBranch : ref) ?? "no_ref";
  };
}

/**
 * The pipeline's repository as the compile pool reads it, with `include:project` for `userId`: before a project's
 * files are read, its mirror is fetched (once per compile, only when the user may read it), so that the compile
 * sees it as it is now, nested and variable includes too. A failed fetch leaves the mirror as last fetched (the
 * compiler then reports a missing ref). Nothing is parsed here: the worker asks for each project it meets.
 */
export function withProjectIncludes(
  q: QueueContext,
  mirror: GitMirror,
  userId: number | null,
  files: RepositoryFiles,
): PooledRepository {
  const actor = actorOf(q, userId);
  const fetched = new Set<string>();
  return {
    ...files,
    openProject: projectOpener(q, mirror, userId),
    async beforeOpen(path) {
      if (fetched.has(path)) return;
      fetched.add(path);
      const project = readableProject(q, actor, path);
      if (project?.importUrl)
        await mirror.resolve(project.id, project.importUrl, project.defaultBranch, !actor?.user.admin);
    },
  };
}

function actorOf(q: QueueContext, userId: number | null): Actor | null {
  const user = userId === null ? null : q.repos.users.findById(userId);
  return user ? { user, via: "token", scopes: ["read_api"] } : null;
}

function readableProject(q: QueueContext, actor: Actor | null, path: string) {
  if (!actor) return null;
  const access = resolveProject(q.db, actor, path, "read_code");
  return access.ok ? access.project : null;
}
