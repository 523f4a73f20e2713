// The job as gitlab-runner decodes it (common.JobResponse), from the payload the embedded runner gets and the job's spec.
import type { JobPayload, PayloadVariable } from "../../../domain/coordinator.ts";
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

export function gitlabJobPayload(p: JobPayload, job: JobRow, externalUrl: string) {
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
    artifacts: spec.artifacts
      ? [
          {
            name: spec.artifacts.name ?? "",
            untracked: false,
            paths: spec.artifacts.paths,
            exclude: spec.artifacts.exclude,
            when: spec.artifacts.when,
            artifact_type: "archive",
            artifact_format: "zip",
            expire_in: spec.artifacts.expireIn ?? "",
          },
        ]
      : [],
    cache: spec.cache.map((c) => ({
      key: c.key,
      untracked: false,
      policy: c.policy,
      paths: c.paths,
      when: "on_success",
      fallback_keys: [],
    })),
    credentials: [],
    dependencies: [],
    features: {
      trace_sections: true,
      token_mask_prefixes: TOKEN_MASK_PREFIXES,
      failure_reasons: [...FAILURE_REASONS],
    },
  };
}
