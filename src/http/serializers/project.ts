// Project JSON: GitLab's Project entity (and ProjectIdentity), plus porthole's import_url and ci_config.
import type { ProjectRow } from "../../store/rows.ts";
import type { Lookups } from "./lookups.ts";
import { iso } from "./time.ts";
import { userBasic } from "./user.ts";

/** A git URL with any password replaced, so credentials given at import never come back out. */
export function redactUrl(url: string | null): string | null {
  if (!url) return url;
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, "$1:*****@");
}

/** GitLab's ProjectIdentity: the fields that name a project. */
export function projectIdentity(p: ProjectRow, look: Lookups) {
  const owner = look.namespaceOwner(p.namespace);
  return {
    id: p.id,
    description: p.description,
    name: p.name,
    name_with_namespace: `${owner?.name ?? p.namespace} / ${p.name}`,
    path: p.path,
    path_with_namespace: `${p.namespace}/${p.path}`,
    created_at: iso(p.createdAt),
  };
}

/**
 * GitLab's Project entity. `level` (the caller's access level) adds GitLab's `permissions` block, as on
 * `GET /projects/:id`.
 */
export function projectEntity(p: ProjectRow, look: Lookups, opts: { buildTimeout: number; level?: number }) {
  const owner = look.namespaceOwner(p.namespace);
  const api = `${look.baseUrl}/api/v4/projects/${p.id}`;
  const webUrl = `${look.baseUrl}/${p.namespace}/${p.path}`;
  return {
    ...projectIdentity(p, look),
    default_branch: p.defaultBranch,
    tag_list: [],
    topics: [],
    ssh_url_to_repo: null,
    // A hosted project's repository is porthole's own (`git push` fills it).
    http_url_to_repo: p.importUrl ? redactUrl(p.importUrl) : `${webUrl}.git`,
    web_url: webUrl,
    readme_url: null,
    forks_count: 0,
    avatar_url: null,
    star_count: 0,
    last_activity_at: iso(p.lastActivityAt ?? p.createdAt),
    namespace: {
      id: owner?.id ?? null,
      name: owner?.name ?? p.namespace,
      path: p.namespace,
      kind: "user",
      full_path: p.namespace,
      parent_id: null,
      avatar_url: null,
      web_url: `${look.baseUrl}/${p.namespace}`,
    },
    _links: {
      self: api,
      members: `${api}/members`,
      events: `${api}/events`,
      repo_branches: `${api}/repository/branches`,
      labels: `${api}/labels`,
    },
    empty_repo: p.importUrl === null && p.ciConfig === null,
    archived: false,
    visibility: p.visibility,
    owner: owner ? userBasic(owner, look.baseUrl) : null,
    creator_id: p.creatorId,
    jobs_enabled: true,
    builds_access_level: "enabled",
    shared_runners_enabled: true,
    import_status: p.importUrl ? "finished" : "none",
    public_jobs: true,
    build_timeout: opts.buildTimeout,
    auto_cancel_pending_pipelines: "enabled",
    ci_default_git_depth: 20,
    ci_config_path: p.ciConfigPath,
    import_url: redactUrl(p.importUrl),
    mirror_poll_interval: p.mirrorPollInterval,
    debug_on_failure: p.debugOnFailure,
    ci_config: p.ciConfig,
    ...(opts.level === undefined
      ? {}
      : {
          permissions: {
            project_access: opts.level > 0 ? { access_level: opts.level, notification_level: 3 } : null,
            group_access: null,
          },
        }),
  };
}
