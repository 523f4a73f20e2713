// `include:project` for the queue: another project's files at a ref, if the pipeline's user may read its code.

import { resolveProject } from "../auth/access.ts";
import type { Actor } from "../auth/actor.ts";
import type { RepositoryFiles } from "../pipeline/types.ts";
import { loadYamlCached } from "../pipeline/yaml/cache.ts";
import { isMap, type YNode } from "../pipeline/yaml/tree.ts";
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
 * Whether the CI file's text names a `project:` key at all, also in flow style (`exists: {paths: [a], project: x}`)
 * (cheap; the compiler decides what it means).
 */
export function namesProjectIncludes(content: string): boolean {
  return /(^|[{,])[\t ]*-?[\t ]*project[\t ]*:/m.test(content);
}

/**
 * Fetches the mirrors of the projects the CI file includes directly (`include: {project}` without variables) that
 * the user may read, so that the compiler's synchronous reads see them as they are now. Nested or variable
 * includes read the mirror as last fetched. A failed fetch is left for the compiler to report as a missing ref.
 */
export async function refreshIncludedProjects(
  q: QueueContext,
  mirror: GitMirror,
  userId: number | null,
  content: string,
): Promise<void> {
  if (!namesProjectIncludes(content)) return; // parsing a large file here would block the event loop
  const actor = actorOf(q, userId);
  const root = loadYamlCached(content, ".gitlab-ci.yml").root;
  const include = isMap(root) ? root.pairs.get("include")?.value : undefined;
  const entries: YNode[] = include?.kind === "seq" ? include.items : include ? [include] : [];
  const paths = new Set<string>();
  for (const entry of entries) {
    const project = isMap(entry) ? entry.pairs.get("project")?.value : undefined;
    if (project?.kind === "scalar" && typeof project.value === "string" && !project.value.includes("$"))
      paths.add(project.value.toLowerCase());
  }
  for (const path of paths) {
    const project = readableProject(q, actor, path);
    if (!project?.importUrl) continue;
    await mirror.resolve(project.id, project.importUrl, project.defaultBranch, !actor?.user.admin).catch(() => {});
  }
}

/** The pipeline user as an actor that reads (null for an anonymous pipeline). */
export function actorOf(q: QueueContext, userId: number | null): Actor | null {
  const user = userId === null ? null : q.repos.users.findById(userId);
  return user ? { user, via: "token", scopes: ["read_api"] } : null;
}

/** The project `path` when `actor` may read its code, else null. */
export function readableProject(q: QueueContext, actor: Actor | null, path: string) {
  if (!actor) return null;
  const access = resolveProject(q.db, actor, path, "read_code");
  return access.ok ? access.project : null;
}
