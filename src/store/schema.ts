// The SQLite schema (drizzle); `npm run db:generate` turns changes here into SQL in migrations/.
import { sql } from "drizzle-orm";
import { blob, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { CommitInfo } from "../domain/commit.ts";
import type { FailureReason, JobStatus, PipelineStatus } from "../domain/status.ts";
import type { AutoCancelSpec, PlanJob } from "../pipeline/types.ts";

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  username: text("username").notNull().unique(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  admin: integer("admin", { mode: "boolean" }).notNull().default(false),
  state: text("state", { enum: ["active", "blocked"] })
    .notNull()
    .default("active"),
  createdAt: createdAt(),
});

export const personalAccessTokens = sqliteTable("personal_access_tokens", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  userId: integer("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  /** SHA-256 (hex) of the token; the token itself is shown once and never stored. */
  tokenHash: text("token_hash").notNull().unique(),
  scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
  /** `YYYY-MM-DD`, GitLab's format; the token stops working at the start of that day (UTC). */
  expiresAt: text("expires_at"),
  revoked: integer("revoked", { mode: "boolean" }).notNull().default(false),
  lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
  createdAt: createdAt(),
});

export const projects = sqliteTable(
  "projects",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    path: text("path").notNull(),
    namespace: text("namespace").notNull(),
    description: text("description"),
    visibility: text("visibility", { enum: ["private", "internal", "public"] })
      .notNull()
      .default("private"),
    importUrl: text("import_url"),
    ciConfig: text("ci_config"),
    ciConfigPath: text("ci_config_path").notNull().default(".gitlab-ci.yml"),
    defaultBranch: text("default_branch").notNull().default("main"),
    /** Seconds between fetches of `importUrl` for projects without webhooks; null: never polled (the default). */
    mirrorPollInterval: integer("mirror_poll_interval"),
    /** Porthole's own: seconds a job whose script failed waits for a terminal, unless its `debug:` says; null: off. */
    debugOnFailure: integer("debug_on_failure"),
    creatorId: integer("creator_id").references(() => users.id, { onDelete: "set null" }),
    /** Next pipeline iid (per project). */
    pipelineIidSeq: integer("pipeline_iid_seq").notNull().default(0),
    /** GitLab's `jobs_cache_index`: "Clear runner caches" bumps it, and every cache key then ends in `-<index>`. */
    jobsCacheIndex: integer("jobs_cache_index").notNull().default(0),
    createdAt: createdAt(),
    lastActivityAt: integer("last_activity_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("projects_full_path").on(t.namespace, t.path)],
);

export const members = sqliteTable(
  "members",
  {
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessLevel: integer("access_level").notNull(),
    expiresAt: text("expires_at"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] })],
);

export const variables = sqliteTable(
  "variables",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull(),
    variableType: text("variable_type", { enum: ["env_var", "file"] })
      .notNull()
      .default("env_var"),
    masked: integer("masked", { mode: "boolean" }).notNull().default(false),
    protected: integer("protected", { mode: "boolean" }).notNull().default(false),
    raw: integer("raw", { mode: "boolean" }).notNull().default(false),
    environmentScope: text("environment_scope").notNull().default("*"),
    description: text("description"),
  },
  (t) => [uniqueIndex("variables_project_key_scope").on(t.projectId, t.key, t.environmentScope)],
);

export const pipelines = sqliteTable(
  "pipelines",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    iid: integer("iid").notNull(),
    ref: text("ref").notNull(),
    tag: integer("tag", { mode: "boolean" }).notNull().default(false),
    sha: text("sha").notNull(),
    /** The schedule that started this pipeline (`source = schedule`). */
    scheduleId: integer("schedule_id"),
    source: text("source").notNull(),
    status: text("status").$type<PipelineStatus>().notNull().default("created"),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    /** Pipeline (API/trigger) variables: `[{key, value}]`, highest precedence. */
    variables: text("variables", { mode: "json" }).$type<{ key: string; value: string }[]>().notNull(),
    /** Global YAML variables of the plan. */
    yamlVariables: text("yaml_variables", { mode: "json" })
      .$type<{ key: string; value: string; raw: boolean }[]>()
      .notNull(),
    /** `workflow:auto_cancel` of the pipeline's CI file: what a newer pipeline of the ref and a failing job cancel. */
    autoCancel: text("auto_cancel", { mode: "json" })
      .$type<AutoCancelSpec>()
      .notNull()
      .default({ onNewCommit: "conservative", onJobFailure: "none" }),
    /** `workflow:name`, expanded when the pipeline was created; null when the CI file names none. */
    name: text("name"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
    /** The previous tip of the ref for push pipelines; forty zeros otherwise (GitLab's value). */
    beforeSha: text("before_sha").notNull().default("0000000000000000000000000000000000000000"),
    /** The commit's message, author and dates, read from the mirror when the pipeline was made. */
    commit: text("commit", { mode: "json" }).$type<CommitInfo>(),
    /**
     * The bridge job that created this pipeline (GitLab's `source_job`); null for a pipeline nobody triggered. No
     * foreign key (SQLite cannot add one that sets null): ids are never reused, so a deleted upstream reads as none.
     */
    upstreamJobId: integer("upstream_job_id"),
    /** The pipeline of that bridge (the parent of a child pipeline, the upstream of a multi-project one). */
    upstreamPipelineId: integer("upstream_pipeline_id"),
  },
  (t) => [
    index("pipelines_project").on(t.projectId, t.id),
    index("pipelines_upstream_job").on(t.upstreamJobId),
    index("pipelines_upstream_pipeline").on(t.upstreamPipelineId),
    uniqueIndex("pipelines_project_iid").on(t.projectId, t.iid),
  ],
);

export const runners = sqliteTable("runners", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  description: text("description").notNull(),
  /** SHA-256 (hex) of the runner's `glrt-` token. */
  tokenHash: text("token_hash").notNull().unique(),
  runnerType: text("runner_type", { enum: ["instance_type", "project_type"] })
    .notNull()
    .default("instance_type"),
  embedded: integer("embedded", { mode: "boolean" }).notNull().default(false),
  paused: integer("paused", { mode: "boolean" }).notNull().default(false),
  tags: text("tags", { mode: "json" }).$type<string[]>().notNull(),
  runUntagged: integer("run_untagged", { mode: "boolean" }).notNull().default(true),
  contactedAt: integer("contacted_at", { mode: "timestamp_ms" }),
  /** What the runner last said about itself in `info` (gitlab-runner's version, revision, platform, …). */
  version: text("version"),
  revision: text("revision"),
  platform: text("platform"),
  architecture: text("architecture"),
  executorType: text("executor_type"),
  ipAddress: text("ip_address"),
  createdAt: createdAt(),
});

export const jobs = sqliteTable(
  "jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    pipelineId: integer("pipeline_id")
      .notNull()
      .references(() => pipelines.id, { onDelete: "cascade" }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    stage: text("stage").notNull(),
    stageIdx: integer("stage_idx").notNull(),
    status: text("status").$type<JobStatus>().notNull().default("created"),
    /** The compiled job from the plan. */
    spec: text("spec", { mode: "json" }).$type<PlanJob>().notNull(),
    /** Whether a failure of this job fails the pipeline (resolved from the spec, exit code aware once finished). */
    allowFailure: integer("allow_failure", { mode: "boolean" }).notNull().default(false),
    failureReason: text("failure_reason").$type<FailureReason>(),
    exitCode: integer("exit_code"),
    /** Set on the old job when a retry replaced it; retried jobs are hidden from lists unless asked for. */
    retried: integer("retried", { mode: "boolean" }).notNull().default(false),
    /** Automatic retries already made for this job's name in this pipeline. */
    retryCount: integer("retry_count").notNull().default(0),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    runnerId: integer("runner_id").references(() => runners.id, { onDelete: "set null" }),
    /** SHA-256 of CI_JOB_TOKEN while the job runs. */
    tokenHash: text("token_hash"),
    timeoutSeconds: integer("timeout_seconds"),
    /** For `when: delayed`: when it becomes pending. */
    scheduledAt: integer("scheduled_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    queuedAt: integer("queued_at", { mode: "timestamp_ms" }),
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
    traceSize: integer("trace_size").notNull().default(0),
    /** Percent, from the log by the job's `coverage` regex when it finished. */
    coverage: real("coverage"),
    /** A remote runner's session server for this job (`session{url, certificate, authorization}` of jobs/request). */
    sessionUrl: text("session_url"),
    /** PEM of the session server's self-signed certificate: the only CA trusted when dialing `sessionUrl`. */
    sessionCertificate: text("session_certificate"),
    /** The `Authorization` header value the session server expects. */
    sessionAuthorization: text("session_authorization"),
    /** A remote runner's lease on the running job: renewed by its trace and update calls; null for the embedded runner. */
    leaseExpiresAt: integer("lease_expires_at", { mode: "timestamp_ms" }),
    /** Handed to a runner with two-phase commit that has not yet confirmed with `PUT state=running`. */
    awaitingRunnerAck: integer("awaiting_runner_ack", { mode: "boolean" }).notNull().default(false),
    /** GitLab's job type: a `build` runs on a runner, a `bridge` (`trigger:`) creates a downstream pipeline. */
    kind: text("kind", { enum: ["build", "bridge"] })
      .notNull()
      .default("build"),
    /** Why a bridge's downstream pipeline could not be created (the downstream's errors, GitLab's job messages). */
    errorMessage: text("error_message"),
  },
  (t) => [
    index("jobs_pipeline").on(t.pipelineId),
    index("jobs_project").on(t.projectId, t.id),
    index("jobs_status").on(t.status),
  ],
);

export const traceChunks = sqliteTable(
  "trace_chunks",
  {
    jobId: integer("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    /** Byte offset of this chunk in the job's log. */
    offset: integer("offset").notNull(),
    data: blob("data", { mode: "buffer" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.offset] })],
);

/** One stored archive of a job: its `paths` (`archive`) or one report type; the zip lives under data_dir. */
export const jobArtifacts = sqliteTable(
  "job_artifacts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jobId: integer("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    /** `archive` or a report type (GitLab's file_type). */
    fileType: text("file_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    /** null: never expires (no expiry, `expire_in: never`, or kept). */
    expireAt: integer("expire_at", { mode: "timestamp_ms" }),
    /** When expiry removed the file; the row stays so that a later job can say its dependency expired. */
    removedAt: integer("removed_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("job_artifacts_job_type").on(t.jobId, t.fileType), index("job_artifacts_expiry").on(t.expireAt)],
);

export const triggers = sqliteTable("triggers", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  projectId: integer("project_id")
    .notNull()
    .references(() => projects.id, { onDelete: "cascade" }),
  description: text("description").notNull().default(""),
  /** SHA-256 (hex) of the `glptt-` token. */
  tokenHash: text("token_hash").notNull().unique(),
  /** First characters, shown in lists as GitLab does for tokens the caller did not create. */
  tokenPrefix: text("token_prefix").notNull(),
  ownerId: integer("owner_id").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
});

/** Protected branch patterns per project (`main`, `release/*`): protected variables reach only pipelines on these. */
export const protectedBranches = sqliteTable(
  "protected_branches",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    /** A branch name or a wildcard pattern where `*` matches any characters (GitLab's rule). */
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("protected_branches_project_name").on(t.projectId, t.name)],
);

/** Browser sign-in sessions (the session cookie carries the id; only its hash is stored). */
export const webSessions = sqliteTable("web_sessions", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  userId: integer("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  /** SHA-256 (hex) of the cookie's secret. */
  tokenHash: text("token_hash").notNull().unique(),
  /** Per-session CSRF token, embedded in forms and sent by scripts as `X-CSRF-Token`. */
  csrfToken: text("csrf_token").notNull(),
  ip: text("ip"),
  userAgent: text("user_agent"),
  createdAt: createdAt(),
  lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
});

/** Audit of interactive terminal sessions: who opened which job's terminal, from where, when, how it ended. */
export const terminalSessions = sqliteTable(
  "terminal_sessions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jobId: integer("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    /** `rw` writer or `ro` viewer. */
    mode: text("mode", { enum: ["rw", "ro"] }).notNull(),
    subprotocol: text("subprotocol").notNull(),
    remoteAddress: text("remote_address"),
    userAgent: text("user_agent"),
    openedAt: createdAt(),
    closedAt: integer("closed_at", { mode: "timestamp_ms" }),
    /** `client_closed`, `job_finished`, `session_timeout`, `canceled`, `max_session_time`, `replaced`, `shell_exited`, … */
    closeReason: text("close_reason"),
    /** Path of the session's recording under data_dir, when recorded. */
    recordingPath: text("recording_path"),
  },
  (t) => [index("terminal_sessions_job").on(t.jobId), index("terminal_sessions_project").on(t.projectId, t.id)],
);

/** Security-relevant events (sign-ins, tokens, members, variables, terminals), for admins and project Maintainers. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** e.g. `sign_in`, `sign_in_failed`, `token_created`, `token_revoked`, `member_added`, `variable_changed`. */
    action: text("action").notNull(),
    actorId: integer("actor_id").references(() => users.id, { onDelete: "set null" }),
    /** The username as typed, for failed sign-ins of unknown users. */
    actorName: text("actor_name"),
    projectId: integer("project_id").references(() => projects.id, { onDelete: "cascade" }),
    targetType: text("target_type"),
    targetId: text("target_id"),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
    ip: text("ip"),
    createdAt: createdAt(),
  },
  (t) => [index("audit_events_project").on(t.projectId, t.id)],
);

/**
 * A project's webhook secret (one per project): forges sign pushes with it. Kept as is because an HMAC needs the key
 * itself; it is shown once, when made, and never again. `ownerId`: who made it; push pipelines run as that user.
 */
export const webhookSecrets = sqliteTable("webhook_secrets", {
  projectId: integer("project_id")
    .primaryKey()
    .references(() => projects.id, { onDelete: "cascade" }),
  secret: text("secret").notNull(),
  ownerId: integer("owner_id").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
});

/** Webhook deliveries seen, by the forge's delivery id: a replayed delivery starts nothing. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    deliveryId: text("delivery_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.deliveryId] })],
);

/** Pipeline schedules: a cron in a timezone that starts a pipeline on `ref` as its owner. */
export const pipelineSchedules = sqliteTable(
  "pipeline_schedules",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    description: text("description").notNull(),
    ref: text("ref").notNull(),
    cron: text("cron").notNull(),
    cronTimezone: text("cron_timezone").notNull().default("UTC"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    ownerId: integer("owner_id").references(() => users.id, { onDelete: "set null" }),
    nextRunAt: integer("next_run_at", { mode: "timestamp_ms" }),
    lastPipelineId: integer("last_pipeline_id").references(() => pipelines.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("pipeline_schedules_project").on(t.projectId, t.id), index("pipeline_schedules_due").on(t.nextRunAt)],
);

/** Variables a schedule's pipelines get (pipeline-level precedence). */
export const pipelineScheduleVariables = sqliteTable(
  "pipeline_schedule_variables",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    scheduleId: integer("schedule_id")
      .notNull()
      .references(() => pipelineSchedules.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull(),
    variableType: text("variable_type", { enum: ["env_var", "file"] })
      .notNull()
      .default("env_var"),
  },
  (t) => [uniqueIndex("pipeline_schedule_variables_key").on(t.scheduleId, t.key)],
);

/** External commit statuses (`POST /projects/:id/statuses/:sha`): one per project, sha, ref and name. */
export const commitStatuses = sqliteTable(
  "commit_statuses",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    sha: text("sha").notNull(),
    ref: text("ref").notNull(),
    name: text("name").notNull(),
    status: text("status").$type<JobStatus>().notNull(),
    targetUrl: text("target_url"),
    description: text("description"),
    coverage: real("coverage"),
    /** The latest pipeline for the sha and ref when the status was first set, if any. */
    pipelineId: integer("pipeline_id").references(() => pipelines.id, { onDelete: "set null" }),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("commit_statuses_identity").on(t.projectId, t.sha, t.ref, t.name)],
);

/** A project's environments (GitLab's): made by the first job that names one, stopped by its on_stop job or by hand. */
export const environments = sqliteTable(
  "environments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    externalUrl: text("external_url"),
    /** `available`, `stopping` (its on_stop job runs), `stopped`. */
    state: text("state", { enum: ["available", "stopping", "stopped"] })
      .notNull()
      .default("available"),
    tier: text("tier").notNull(),
    /** When `auto_stop_in` of the last successful deployment stops it; null: never. */
    autoStopAt: integer("auto_stop_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("environments_project_name").on(t.projectId, t.name),
    index("environments_auto_stop").on(t.autoStopAt),
  ],
);

/** One deployment: a job with `environment` (action start) and the status it follows. */
export const deployments = sqliteTable(
  "deployments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    /** Per project, as GitLab numbers deployments. */
    iid: integer("iid").notNull(),
    environmentId: integer("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    jobId: integer("job_id").references(() => jobs.id, { onDelete: "set null" }),
    ref: text("ref").notNull(),
    tag: integer("tag", { mode: "boolean" }).notNull().default(false),
    sha: text("sha").notNull(),
    userId: integer("user_id").references(() => users.id, { onDelete: "set null" }),
    /** `created`, `running`, `success`, `failed`, `canceled`, `skipped` (GitLab's deployment statuses). */
    status: text("status").notNull().default("created"),
    /** The job of the same pipeline that stops the environment (the start job's `on_stop`). */
    onStop: text("on_stop"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("deployments_project_iid").on(t.projectId, t.iid),
    index("deployments_environment").on(t.environmentId, t.id),
    index("deployments_job").on(t.jobId),
  ],
);

/** `resource_group` keys per project with their `process_mode`; made when a pipeline first names one. */
export const resourceGroups = sqliteTable(
  "resource_groups",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    processMode: text("process_mode", { enum: ["unordered", "oldest_first", "newest_first"] })
      .notNull()
      .default("unordered"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("resource_groups_project_key").on(t.projectId, t.key)],
);

/** Read-only links to a job's terminal, made by Maintainers: signed with the row's key, expiring, revocable. */
export const terminalShareLinks = sqliteTable(
  "terminal_share_links",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jobId: integer("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    projectId: integer("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    /** The HMAC-SHA256 key the link's token is signed with (random, per link; never leaves the server). */
    signingKey: text("signing_key").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("terminal_share_links_job").on(t.jobId)],
);
