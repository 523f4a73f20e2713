// Reads gitlab-runner's config.toml shape (`concurrent`, one `[[runners]]` entry) into porthole's configuration.
import { ConfigError } from "../../config/problems.ts";

type Raw = Record<string, unknown>;
const isTable = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/** gitlab-runner keys porthole's runner accepts and does not need (it polls by long poll, logs its own way). */
const IGNORED_TOP = ["check_interval", "log_level", "log_format", "shutdown_timeout", "connection_max_age"];
const IGNORED_RUNNER = ["id", "token_obtained_at", "token_expires_at", "limit", "request_concurrency", "shell"];
const RUNNER_KEYS: Record<string, string> = {
  url: "url",
  token: "token",
  executor: "executor",
  name: "name",
  builds_dir: "builds_dir",
};
const DOCKER_KEYS: Record<string, string> = {
  host: "host",
  image: "default_image",
  privileged: "privileged",
  volumes: "volumes",
  network_mode: "network_mode",
  allowed_images: "allowed_images",
  cpus: "cpus",
  memory: "memory",
};

/**
 * A file without `[[runners]]` is porthole's own shape and comes back unchanged. Otherwise `concurrent` and the
 * single `[[runners]]` entry (url, token, executor, name, builds_dir, `[runners.docker]`) become `runner.*` and
 * `docker.*`; `[session_server]` and porthole's own sections pass through. Anything else is named in a ConfigError.
 */
export function fromGitlabRunnerToml(raw: Raw): Raw {
  if (!("runners" in raw)) return raw;
  const problems: string[] = [];
  const entries = raw.runners;
  if (!Array.isArray(entries) || entries.length !== 1 || !isTable(entries[0])) {
    throw new ConfigError(["config: [[runners]] must hold exactly one runner (run one porthole runner per server)"]);
  }
  const out: Raw = {};
  const runner: Raw = {};
  const docker: Raw = isTable(raw.docker) ? { ...raw.docker } : {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === "runners" || IGNORED_TOP.includes(key)) continue;
    if (key === "concurrent") runner.concurrent = value;
    else if (key === "runner" && isTable(value)) Object.assign(runner, value);
    else if (key !== "docker") out[key] = value;
  }
  for (const [key, value] of Object.entries(entries[0])) {
    if (IGNORED_RUNNER.includes(key)) continue;
    if (key in RUNNER_KEYS) runner[RUNNER_KEYS[key]!] = value;
    else if (key === "docker" && isTable(value)) {
      for (const [dk, dv] of Object.entries(value)) {
        if (dk === "pull_policy") docker.pull_policy = Array.isArray(dv) ? dv[0] : dv;
        else if (dk in DOCKER_KEYS) docker[DOCKER_KEYS[dk]!] = dv;
        else problems.push(`config: runners.docker.${dk} is not supported by porthole runner`);
      }
    } else problems.push(`config: runners.${key} is not supported by porthole runner`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...out, runner, ...(Object.keys(docker).length > 0 ? { docker } : {}) };
}
