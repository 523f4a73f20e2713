// The configuration's shape and defaults (zod), as documented in docs/configuration.md and the README's table.
import { isIP } from "node:net";
import { z } from "zod";
import { allowlistEntryProblem } from "../domain/allowlist-entry.ts";
import { EXECUTOR_NAMES } from "../executor/registry.ts";
import { LOG_FORMATS, LOG_LEVELS } from "../logger.ts";

const hostPort = z.string().regex(/^[^\s:]*:\d{1,5}$/, "must be host:port, e.g. 127.0.0.1:8080");
/** An address range such as `10.0.0.0/8` or `::1/128` (a bare address is one host). */
const cidr = z.string().refine((value) => {
  const [address = "", bits, extra] = value.split("/");
  const version = isIP(address);
  if (!version || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}, "must be an IP address or a CIDR range, e.g. 10.0.0.0/8");
const seconds = z.number().int().nonnegative();

export const configSchema = z
  .object({
    listen: hostPort.default("127.0.0.1:8080"),
    external_url: z.string().url().optional(),
    data_dir: z.string().min(1).default("./porthole-data"),
    runner: z
      .object({
        enabled: z.boolean().default(true),
        executor: z.enum(EXECUTOR_NAMES).default("shell"),
        concurrent: z.number().int().min(1).max(256).default(4),
        builds_dir: z.string().min(1).default("builds"),
        name: z.string().min(1).default("embedded"),
        /** `porthole runner`: the server it takes jobs from, and its runner authentication token (`glrt-…`). */
        url: z.string().default(""),
        token: z.string().default(""),
        /** "sandbox": each shell job in its own bubblewrap sandbox; "none": on the host as the server (demos only). */
        shell_isolation: z.enum(["sandbox", "none"]).default("sandbox"),
        /** Who shell jobs run as: "" is an unprivileged user when the server is root, else the server's user. */
        shell_user: z.string().default(""),
      })
      .strict()
      .prefault({}),
    docker: z
      .object({
        host: z.string().default(""),
        pull_policy: z.enum(["always", "if-not-present", "never"]).default("if-not-present"),
        default_image: z.string().min(1).default("alpine:latest"),
        privileged: z.boolean().default(false),
        volumes: z.array(z.string()).default([]),
        network_mode: z.string().default(""),
        cpus: z.number().positive().optional(),
        memory: z.string().optional(),
        allowed_images: z.array(z.string()).default([]),
      })
      .strict()
      .prefault({}),
    session_server: z
      .object({
        listen_address: hostPort.default("127.0.0.1:8093"),
        advertise_address: z.string().default(""),
        session_timeout: seconds.default(1800),
      })
      .strict()
      .prefault({}),
    terminal: z
      .object({
        max_session_time: seconds.default(0),
        /** Bytes a session recording may grow to (50 MB); 0 turns recording off. */
        max_recording_bytes: z
          .number()
          .int()
          .nonnegative()
          .default(50 * 1024 * 1024),
        /** Open terminal connections one job accepts (writer, watchers, and a reconnect's overlap). */
        max_connections_per_job: z.number().int().min(1).default(10),
        /** Open terminal connections one user may hold across all jobs. */
        max_connections_per_user: z.number().int().min(1).default(20),
        /** Seconds between re-checks of every open terminal's access (GitLab Workhorse: 5 minutes). */
        access_check_interval: seconds.min(1).default(300),
        /** Whether a read-only share link opens for visitors who are not signed in (instance-wide; off by default). */
        anonymous_share_links: z.boolean().default(false),
        /** Days a session recording is kept (removed by a daily cleanup); 0 keeps them. */
        recording_retention: z.number().int().nonnegative().default(0),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(LOG_LEVELS).default("info"),
        format: z.enum(LOG_FORMATS).default("logfmt"),
        /** One line per HTTP request (method, path without query, status, duration). */
        access: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    runner_api: z
      .object({
        /** Seconds jobs/request holds a runner's call when no job is queued (GitLab Workhorse: 50). */
        long_poll_timeout: seconds.max(600).default(50),
        /** Seconds a remote runner may stay silent about a running job before it fails with runner_system_failure. */
        lease_timeout: seconds.min(1).default(50),
        /** Legacy `POST /runners` registration token; empty: legacy registration is off (403). */
        registration_token: z.string().default(""),
      })
      .strict()
      .prefault({}),
    artifacts: z
      .object({
        /** Bytes one job's archive (or one report) may have (GitLab's default maximum artifacts size: 100 MB). */
        max_size: z
          .number()
          .int()
          .min(1)
          .default(100 * 1024 * 1024),
        /** Files and directories one job's archive may hold. */
        max_files: z.number().int().min(1).default(10_000),
      })
      .strict()
      .prefault({}),
    monitoring: z
      .object({
        /** Who may read /-/health, /-/readiness, /-/liveness and /-/metrics (CIDR ranges; GitLab's name). */
        ip_whitelist: z.array(cidr).default(["127.0.0.0/8", "::1/128"]),
        /** The admin page warns when fewer bytes than this are free under data_dir (1 GB). */
        disk_warning_bytes: z
          .number()
          .int()
          .nonnegative()
          .default(1024 * 1024 * 1024),
      })
      .strict()
      .prefault({}),
    /** Default job timeout in seconds (GitLab's project default: 1h). */
    job_timeout: seconds.min(1).default(3600),
    limits: z
      .object({
        /** Jobs one pipeline may hold; larger pipelines are refused at lint and at create. */
        max_jobs_per_pipeline: z.number().int().min(1).max(100_000).default(1000),
        /** KiB of log kept per job (gitlab-runner's `output_limit`); the job runs on, its output is dropped. */
        output_limit: z.number().int().min(1).default(4096),
        /** Private hosts, addresses and CIDR ranges a non-admin's import_url may reach (GitLab's allowlist). */
        import_url_allowlist: z
          .array(z.string().refine((entry) => allowlistEntryProblem(entry) === null, "must be a host, an IP or a CIDR"))
          .default([]),
        /** `include:remote` may fetch `http://` URLs too (HTTPS only by default); the allowlist above applies. */
        include_remote_http: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type PortholeConfig = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** The URL porthole is reached at; derived from `listen` when not set. */
export function externalUrl(config: PortholeConfig): string {
  return (config.external_url ?? `http://${config.listen}`).replace(/\/+$/, "");
}
