// `include:project` and `include:component` for the queue: another project's files at a ref, if the pipeline's user
// may read its code.

import { resolveProject } from "../auth/access.ts";
import type { Actor } from "../auth/actor.ts";
import type { IncludeHost } from "../pipeline/worker/compile-pool.ts";
import type { QueueContext } from "./context.ts";
import type { GitMirror } from "./git-mirror.ts";

/** The compile pool's `openProject`: another project's files at a ref, as the compiler's `openProject` answers. */
export type ProjectOpener = NonNullable<IncludeHost["openProject"]>;

/**
 * The compile pool's `openProject` for a pipeline created by `userId`: the project must exist and the user must be
 * allowed `read_code` there (a project they cannot see reads as not found, as GitLab's message says); `HEAD` is
 * the project's default branch, `~latest` (a component's version) its newest semantic-version tag. Files come from
 * the project's hosted repository, or its mirror, fetched the first time this creation opens it (each once; a failed
 * fetch leaves the mirror as last fetched, so an unknown ref is reported as missing), so that every included
 * project, nested ones too, is read as it is now. A project without a repository has no refs. An anonymous pipeline
 * (no user) can open no project.
 */
export function projectOpener(q: QueueContext, mirror: GitMirror, userId: number | null): ProjectOpener {
  const actor = actorOf(q, userId);
  const fetches = new Map<number, Promise<void>>();
  const fetched = (id: number, url: string) => {
    const fetch = fetches.get(id) ?? mirror.fetch(id, url, !actor?.user.admin).catch(() => {});
    fetches.set(id, fetch);
    return fetch;
  };
  return async (path, ref) => {
    const project = readableProject(q, actor, path);
    if (!project) return "not_found";
    if (project.importUrl) await fetched(project.id, project.importUrl);
    if (!mirror.hasRepository(project.id)) return "no_ref";
    if (ref === "HEAD") return (await mirror.filesAtRef(project.id, project.defaultBranch)) ?? "no_ref";
    // As GitLab's component versions: `~latest` and `1` / `1.2` name the newest matching release tag; then a ref.
    const versioned = ref === "~latest" || SHORTHAND_VERSION.test(ref);
    const release = versioned ? latestVersion(await mirror.tagNames(project.id), ref) : null;
    const files = release
      ? await mirror.filesAtRef(project.id, release)
      : ref !== "~latest" && (await mirror.filesAtRef(project.id, ref));
    if (!files) return "no_ref";
    // A release tag written out is a version too (GitLab's released tag).
    const version =
      release ?? (RELEASE_VERSION.test(ref) && (await mirror.tagNames(project.id)).includes(ref) ? ref : null);
    return version ? { ...files, release: version } : files;
  };
}

const RELEASE_VERSION = /^v?\d+\.\d+\.\d+$/;
const SHORTHAND_VERSION = /^\d+(\.\d+)?$/;

/**
 * The newest release tag by semantic version (`1.10.0` after `1.9.2`; pre-releases left out), among those of
 * `within` when it is a major (`1`) or major.minor (`1.2`) version; null when none.
 */
export function latestVersion(tags: readonly string[], within = "~latest"): string | null {
  const prefix = SHORTHAND_VERSION.test(within) ? `${within}.` : "";
  const releases = tags.filter((tag) => RELEASE_VERSION.test(tag) && tag.replace(/^v/, "").startsWith(prefix));
  releases.sort((a, b) => Bun.semver.order(a.replace(/^v/, ""), b.replace(/^v/, "")));
  return releases.at(-1) ?? null;
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
