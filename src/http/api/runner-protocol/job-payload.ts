// The job as gitlab-runner decodes it (common.JobResponse), from the payload the embedded runner gets and the job's spec.
import type { JobPayload, PayloadVariable } from "../../../domain/coordinator.ts";
import { breakpointText } from "../../../domain/debug.ts";
import { FAILURE_REASONS } from "../../../domain/status.ts";
import type { JobRow } from "../../../store/rows.ts";

/** Token prefixes gitlab-runner masks in the log wherever they appear. */
const TOKEN_MASK_PREFIXES = ["glpat-", "glrt-", "glcbt-", "glptt-"];

/** Where the runner clones from: the project's mirror over smart HTTP, authenticated by the job token. */
export function repositoryUrl(externalUrl: string, projectPath: string, jobToken: string): string {
  const url = new URL(`${externalUrl}/${projectPath}.git`);
  url.username = "gitlab-ci-token";
  url.password = jobToken;
  return url.toString();
}

const variable = (v: PayloadVariable) => ({
  key: v.key,
  value: v.value,
  public: !v.masked,
  file: false,
  masked: v.masked,
  raw: v.raw,
});

/** `archiveOf(jobId)`: the job's stored archive, if it has one. */
export function gitlabJobPayload(
  p: JobPayload,
  job: JobRow,
  externalUrl: string,
  archiveOf: (jobId: number) => { size: number } | undefined,
) {
  const spec = job.spec;
  const git = p.sources.kind === "git" ? p.sources : null;
  const repoUrl = repositoryUrl(externalUrl, p.projectPath, p.token);
  const extra: PayloadVariable[] = [
    { key: "CI_REPOSITORY_URL", value: repoUrl, masked: false, raw: true },
    { key: "CI_API_V4_URL", value: `${externalUrl}/api/v4`, masked: false, raw: true },
  ];
  // A project without a repository has nothing to clone: the runner skips its git step.
  if (!git) extra.push({ key: "GIT_STRATEGY", value: "none", masked: false, raw: true });
  return {
    id: p.id,
    token: p.token,
    allow_git_fetch: true,
    job_info: {
      id: p.id,
      name: p.name,
      stage: p.stage,
      project_id: p.projectId,
      project_name: p.projectPath.split("/").pop(),
      time_in_queue_seconds:
        job.queuedAt && job.startedAt ? (job.startedAt.getTime() - job.queuedAt.getTime()) / 1000 : 0,
    },
    git_info: {
      repo_url: repoUrl,
      repo_object_format: "sha1",
      ref: git?.ref ?? "",
      sha: git?.sha ?? "",
      before_sha: "0000000000000000000000000000000000000000",
      ref_type: git?.tag ? "tag" : "branch",
      refspecs: git
        ? [
            git.tag
              ? `+refs/tags/${git.ref}:refs/tags/${git.ref}`
              : `+refs/heads/${git.ref}:refs/remotes/origin/${git.ref}`,
          ]
        : [],
      depth: 0,
      protected: false,
    },
    runner_info: { timeout: p.timeoutSeconds, runner_session_url: job.sessionUrl ?? "" },
    ...portholeDebug(p),
    variables: [...p.variables, ...extra].map(variable),
    steps: [
      {
        name: "script",
        script: [...p.beforeScript, ...p.script],
        timeout: p.timeoutSeconds,
        when: "on_success",
        allow_failure: false,
      },
      ...(p.afterScript.length
        ? [
            {
              name: "after_script",
              script: p.afterScript,
              timeout: p.timeoutSeconds,
              when: "always",
              allow_failure: true,
            },
          ]
        : []),
    ],
    image: p.image ? { name: p.image.name, entrypoint: p.image.entrypoint ?? null, ports: [] } : null,
    services: p.services.map((s) => ({
      name: s.name,
      alias: s.alias ?? "",
      entrypoint: s.entrypoint ?? null,
      command: s.command ?? null,
      ports: [],
      variables: s.variables.map((v) => ({ key: v.key, value: v.value, public: true, file: false, raw: v.raw })),
    })),
    // Every type is uploaded as a zip, as porthole's own runner does, to `POST /jobs/:id/artifacts`.
    artifacts: p.artifacts.map((a) => ({
      name: a.type === "archive" ? (spec.artifacts?.name ?? "") : a.type,
      untracked: a.untracked,
      paths: a.paths,
      exclude: a.exclude,
      when: a.when,
      artifact_type: a.type,
      artifact_format: "zip",
      expire_in: spec.artifacts?.expireIn ?? "",
    })),
    // The key as the embedded runner stores it (with GitLab's index and protection suffix). A `key:files` cache
    // gets its prefix and base key here: gitlab-runner takes the key as given and hashes no files.
    cache: (p.caches ?? []).map((c) => ({
      key: `${c.keyPrefix ? `${c.keyPrefix}-` : ""}${c.key}${c.keySuffix}`,
      untracked: c.untracked,
      policy: c.policy,
      paths: c.paths,
      when: c.when,
      fallback_keys: c.fallbackKeys.map((k) => `${k}${c.keySuffix}`),
    })),
    credentials: [],
    // The server lets a running job download its dependencies' archives with its own token, so that is the one
    // gitlab-runner sends as each dependency's JOB-TOKEN. It downloads only those with an `artifacts_file`.
    dependencies: p.dependencies.map((d) => {
      const archive = archiveOf(d.id);
      return {
        id: d.id,
        token: p.token,
        name: d.name,
        ...(archive ? { artifacts_file: { filename: "artifacts.zip", size: archive.size } } : {}),
      };
    }),
    features: {
      trace_sections: true,
      token_mask_prefixes: TOKEN_MASK_PREFIXES,
      failure_reasons: [...FAILURE_REASONS],
    },
  };
}

/**
 * Porthole's own field (gitlab-runner ignores it): debug on failure and the breakpoint, with where before_script ends
 * in the `script` step (GitLab joins the two), so that porthole's runner can place `before_script_end` and `script:N`.
 */
function portholeDebug(p: JobPayload) {
  if (!p.debug) return {};
  const { onFailure = 0, breakpoint } = p.debug;
  return {
    porthole_debug: {
      on_failure: onFailure,
      breakpoint: breakpoint ? breakpointText(breakpoint) : null,
      before_script_lines: p.beforeScript.length,
    },
  };
}
