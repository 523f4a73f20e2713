// `include:project` and `include:component` for the queue: another project's files at a ref, if the pipeline's user
// may read its code.

import { resolveProject } from "../auth/access.ts";
import type { Actor } from "../auth/actor.ts";
import { parseComponentAddress } from "../pipeline/expand/include-component.ts";
import { expandKnownVariables } from "../pipeline/expand/text-variables.ts";
import type { RepositoryFiles } from "../pipeline/types.ts";
import { loadYamlCached } from "../pipeline/yaml/cache.ts";
import { isMap, type YNode } from "../pipeline/yaml/tree.ts";
import type { QueueContext } from "./context.ts";
import type { GitMirror } from "./git-mirror.ts";

/**
 * The compiler's `openProject` for a pipeline created by `userId`: the project must exist and the user must be
 * allowed `read_code` there (a project they cannot see reads as not found, as GitLab's message says); `HEAD` is
 * the project's default branch, `~latest` (a component's version) its newest semantic-version tag. Files come from
 * the project's mirror as last fetched, or its hosted repository; a project without a repository has no refs. An
 * anonymous pipeline (no user) can open no project.
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
    if (!mirror.hasRepository(project.id)) return "no_ref";
    const at =
      ref === "HEAD" ? project.defaultBranch : ref === "~latest" ? latestVersion(mirror.tagNamesSync(project.id)) : ref;
    return (at !== null && mirror.filesAtRefSync(project.id, at)) || "no_ref";
  };
}

const RELEASE_VERSION = /^v?\d+\.\d+\.\d+$/;

/** The newest release tag by semantic version (`1.10.0` after `1.9.2`; pre-releases left out); null when none. */
export function latestVersion(tags: readonly string[]): string | null {
  const releases = tags.filter((tag) => RELEASE_VERSION.test(tag));
  releases.sort((a, b) => Bun.semver.order(a.replace(/^v/, ""), b.replace(/^v/, "")));
  return releases.at(-1) ?? null;
}

/**
 * Whether the CI file's text names another project, a component or a remote file (cheap; the compiler decides what
 * it means): such files compile on this thread, which can open projects and fetch.
 */
export function namesExternalIncludes(content: string): boolean {
  return (
    /\b(project|component|remote)[\t ]*:/.test(content) ||
    /(^[\t ]*-|\binclude[\t ]*:[\t ]*\[?|,)[\t ]*["']?https?:\/\//im.test(content)
  );
}

/**
 * Fetches the mirrors of the projects the CI file includes directly (`include: {project}` without variables, and
 * components, whose `$CI_SERVER_*` are expanded from `server`) that the user may read, so that the compiler's
 * synchronous reads see them as they are now. Nested or variable includes read the mirror as last fetched. A failed
 * fetch is left for the compiler to report as a missing ref.
 */
export async function refreshIncludedProjects(
  q: QueueContext,
  mirror: GitMirror,
  userId: number | null,
  content: string,
  server: Readonly<Record<string, string>>,
): Promise<void> {
  if (!namesExternalIncludes(content)) return; // parsing a large file here would block the event loop
  const actor = actorOf(q, userId);
  const root = loadYamlCached(content, ".gitlab-ci.yml").root;
  const include = isMap(root) ? root.pairs.get("include")?.value : undefined;
  const entries: YNode[] = include?.kind === "seq" ? include.items : include ? [include] : [];
  const paths = new Set<string>();
  const hosts = [server.CI_SERVER_FQDN, server.CI_SERVER_HOST].filter((h): h is string => !!h);
  for (const entry of entries) {
    const project = isMap(entry) ? entry.pairs.get("project")?.value : undefined;
    if (project?.kind === "scalar" && typeof project.value === "string" && !project.value.includes("$"))
      paths.add(project.value.toLowerCase());
    const component = isMap(entry) ? entry.pairs.get("component")?.value : undefined;
    if (component?.kind === "scalar" && typeof component.value === "string") {
      const address = parseComponentAddress(expandKnownVariables(component.value, server), hosts);
      if (address) paths.add(address.project);
    }
  }
  for (const path of paths) {
    const project = readableProject(q, actor, path);
    if (!project?.importUrl) continue;
    await mirror.resolve(project.id, project.importUrl, project.defaultBranch, !actor?.user.admin).catch(() => {});
  }
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
