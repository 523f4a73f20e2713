// GitLab's predefined CI/CD variables that porthole can give a pipeline: server, project, commit, pipeline, user.
import type { PayloadVariable } from "../domain/coordinator.ts";
import { isProtectedRef } from "../domain/protected-branch.ts";
import { slugify } from "../domain/variables.ts";
import type { PipelineRow, ProjectRow, UserRow } from "../store/rows.ts";
import { VERSION } from "../version.ts";

export interface PredefinedContext {
  externalUrl: string;
  project: ProjectRow;
  pipeline: PipelineRow;
  /** Protected branch patterns of the project. */
  protectedBranches: readonly string[];
  /** Who started the pipeline (GITLAB_USER_*), when known. */
  user?: UserRow | null;
  /** The job's token, the password in CI_REPOSITORY_URL; absent: `[MASKED]`, as GitLab shows the value. */
  jobToken?: string;
}

const plain = (key: string, value: string): PayloadVariable => ({ key, value, masked: false, raw: true });

/** `CI_SERVER_*` and `CI_API_V4_URL`, from external_url. */
export function serverVariables(externalUrl: string): PayloadVariable[] {
  const url = new URL(externalUrl);
  const protocol = url.protocol.replace(/:$/, "");
  const port = url.port || (protocol === "https" ? "443" : "80");
  const [major = "0", minor = "0", patch = "0"] = VERSION.split(/[.-]/);
  return [
    plain("CI_SERVER", "yes"),
    plain("CI_SERVER_URL", externalUrl),
    plain("CI_SERVER_NAME", "porthole"),
    plain("CI_SERVER_HOST", url.hostname),
    plain("CI_SERVER_FQDN", url.host),
    plain("CI_SERVER_PORT", port),
    plain("CI_SERVER_PROTOCOL", protocol),
    plain("CI_SERVER_VERSION", VERSION),
    plain("CI_SERVER_VERSION_MAJOR", major),
    plain("CI_SERVER_VERSION_MINOR", minor),
    plain("CI_SERVER_VERSION_PATCH", patch),
    plain("CI_SERVER_REVISION", "porthole"),
    plain("CI_API_V4_URL", `${externalUrl}/api/v4`),
  ];
}

/** The project's git URL with the job token (url-safe) as password (GitLab's CI_REPOSITORY_URL; logs mask it). */
function repositoryUrl(server: URL, fullPath: string, password: string): string {
  const path = `${server.pathname.replace(/\/$/, "")}/${fullPath}.git`;
  return `${server.protocol}//gitlab-ci-token:${password}@${server.host}${path}`;
}

/** `CI_COMMIT_*`: what the pipeline's commit says, and whether its ref is protected. */
function commitVariables(ctx: PredefinedContext): PayloadVariable[] {
  const { pipeline } = ctx;
  const commit = pipeline.commit;
  const refProtected = isProtectedRef(ctx.protectedBranches, { name: pipeline.ref, tag: pipeline.tag });
  const vars = [
    plain("CI_COMMIT_SHA", pipeline.sha),
    plain("CI_COMMIT_SHORT_SHA", pipeline.sha.slice(0, 8)),
    plain("CI_COMMIT_BEFORE_SHA", pipeline.beforeSha),
    plain("CI_COMMIT_REF_NAME", pipeline.ref),
    plain("CI_COMMIT_REF_SLUG", slugify(pipeline.ref)),
    plain("CI_COMMIT_REF_PROTECTED", String(refProtected)),
    plain(pipeline.tag ? "CI_COMMIT_TAG" : "CI_COMMIT_BRANCH", pipeline.ref),
  ];
  if (commit) {
    // GitLab: the description is the message without its title, when the title is under 100 characters.
    const rest = commit.message.split("\n").slice(1).join("\n").replace(/^\n+/, "");
    vars.push(
      plain("CI_COMMIT_MESSAGE", commit.message),
      plain("CI_COMMIT_TITLE", commit.title),
      plain("CI_COMMIT_DESCRIPTION", commit.title.length < 100 ? rest : commit.message),
      plain("CI_COMMIT_AUTHOR", `${commit.authorName} <${commit.authorEmail}>`),
      plain("CI_COMMIT_TIMESTAMP", commit.committedAt),
    );
    if (commit.tagMessage) vars.push(plain("CI_COMMIT_TAG_MESSAGE", commit.tagMessage.replace(/\n$/, "")));
  }
  return vars;
}

/** Variables known when the pipeline is created: what `rules:if` and `workflow:rules` see. */
export function predefinedVariables(ctx: PredefinedContext): PayloadVariable[] {
  const { project, pipeline, externalUrl, user } = ctx;
  const fullPath = `${project.namespace}/${project.path}`;
  const url = new URL(externalUrl);
  const vars: PayloadVariable[] = [
    plain("CI", "true"),
    plain("GITLAB_CI", "true"),
    plain("PORTHOLE", "true"),
    ...serverVariables(externalUrl),
    plain("CI_PIPELINE_ID", String(pipeline.id)),
    plain("CI_PIPELINE_IID", String(pipeline.iid)),
    plain("CI_PIPELINE_SOURCE", pipeline.source),
    plain("CI_PIPELINE_URL", `${externalUrl}/${fullPath}/-/pipelines/${pipeline.id}`),
    plain("CI_PIPELINE_CREATED_AT", pipeline.createdAt.toISOString().replace(/\.\d+Z$/, "Z")),
    plain("CI_PROJECT_ID", String(project.id)),
    plain("CI_PROJECT_NAME", project.path),
    plain("CI_PROJECT_TITLE", project.name),
    plain("CI_PROJECT_DESCRIPTION", project.description ?? ""),
    plain("CI_PROJECT_PATH", fullPath),
    plain("CI_PROJECT_PATH_SLUG", slugify(fullPath)),
    plain("CI_PROJECT_NAMESPACE", project.namespace),
    plain("CI_PROJECT_NAMESPACE_SLUG", slugify(project.namespace)),
    plain("CI_PROJECT_ROOT_NAMESPACE", project.namespace.split("/")[0]!),
    plain("CI_PROJECT_URL", `${externalUrl}/${fullPath}`),
    plain("CI_PROJECT_VISIBILITY", project.visibility),
    plain("CI_PROJECT_CONFIG_PATH", project.ciConfigPath),
    plain("CI_CONFIG_PATH", project.ciConfigPath),
    plain("CI_DEFAULT_BRANCH", project.defaultBranch),
    plain("CI_REPOSITORY_URL", repositoryUrl(url, fullPath, ctx.jobToken ?? "[MASKED]")),
    ...commitVariables(ctx),
  ];
  if (pipeline.source === "trigger" || pipeline.source === "pipeline")
    vars.push(plain("CI_PIPELINE_TRIGGERED", "true"));
  if (user) {
    vars.push(
      plain("GITLAB_USER_ID", String(user.id)),
      plain("GITLAB_USER_LOGIN", user.username),
      plain("GITLAB_USER_NAME", user.name),
      plain("GITLAB_USER_EMAIL", user.email),
    );
  }
  return vars;
}
