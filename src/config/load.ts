// Builds the configuration from porthole.toml, then PORTHOLE_* environment variables, then flags; validated once.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { CONFIG_KEYS, type ConfigKey, NON_CONFIG_ENV } from "./keys.ts";
import { nearestName } from "./nearest.ts";
import { ConfigError, coerceText, describeIssue } from "./problems.ts";
import { configSchema, type PortholeConfig } from "./schema.ts";
import { readTomlFile } from "./toml-file.ts";

export interface LoadConfigInput {
  /** Flag values as `parseArgs` returns them (`config`, `listen`, `runner-concurrent`, …); other names are ignored. */
  argvFlags: Record<string, unknown>;
  env: Record<string, string | undefined>;
  /** Where `./porthole.toml` is looked for and relative paths (`--config`, `data_dir`) are resolved from. */
  cwd: string;
  /** Rewrites the file's table before the other layers apply (`porthole runner` reads gitlab-runner's shape too). */
  translateFile?: (raw: Record<string, unknown>) => Record<string, unknown>;
}

type Raw = Record<string, unknown>;
const isTable = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/** Sets `key` in `raw` unless its section holds a non-table (the file's own error is then reported). */
function assign(raw: Raw, key: ConfigKey, value: unknown): void {
  const [section, name] = key.path;
  if (name === undefined) {
    raw[section] = value;
    return;
  }
  raw[section] ??= {};
  const table = raw[section];
  if (isTable(table)) table[name] = value;
}

/**
 * Layers, later wins: the TOML file (`--config PATH`, else `./porthole.toml` if present), `PORTHOLE_<SECTION>_<KEY>`
 * variables (empty ones are ignored), flags. `data_dir` comes back absolute.
 * Throws `ConfigError` listing every problem, one line each: `porthole.toml: unknown key runner.foo`,
 * `PORTHOLE_RUNNER_CONCURRENT: expected a whole number, got "x"`. An unknown `PORTHOLE_*` variable is a
 * problem too (a mistyped setting must not be silently ignored), except the few in `NON_CONFIG_ENV`.
 */
export function loadConfig({ argvFlags, env, cwd, translateFile }: LoadConfigInput): PortholeConfig {
  const problems: string[] = [];
  const sources = new Map<string, string>();
  const explicitFile = typeof argvFlags.config === "string" ? argvFlags.config : undefined;
  const fileLabel = explicitFile ?? "porthole.toml";
  const filePath = resolve(cwd, fileLabel);
  const read: Raw =
    explicitFile !== undefined || existsSync(filePath) ? structuredClone(readTomlFile(filePath, fileLabel)) : {};
  const raw = translateFile ? translateFile(read) : read;

  /** Applies an env or flag value; `sources` remembers which one set the key, for messages. */
  const override = (key: ConfigKey, text: string, source: string) => {
    const coerced = coerceText(key, text);
    if (!coerced.ok) return void problems.push(`${source}: ${coerced.problem}`);
    assign(raw, key, coerced.value);
    sources.set(key.dotted, source);
  };
  const byEnv = new Map(CONFIG_KEYS.map((k) => [k.env, k]));
  for (const [name, text] of Object.entries(env)) {
    if (!name.startsWith("PORTHOLE_") || NON_CONFIG_ENV.includes(name) || text === undefined || text === "") continue;
    const key = byEnv.get(name);
    if (!key) {
      const hint = nearestName(name, [...byEnv.keys()]);
      problems.push(`${name}: not a porthole setting${hint ? ` (did you mean ${hint}?)` : ""}`);
      continue;
    }
    override(key, text, name);
  }
  for (const key of CONFIG_KEYS) {
    const text = argvFlags[key.flag];
    if (typeof text === "string") override(key, text, `--${key.flag}`);
  }

  const parsed = configSchema.safeParse(raw, { reportInput: true });
  for (const issue of parsed.error?.issues ?? []) {
    const dotted = issue.path.join(".");
    if (issue.code === "unrecognized_keys") {
      for (const k of issue.keys) problems.push(`${fileLabel}: unknown key ${dotted ? `${dotted}.` : ""}${k}`);
      continue;
    }
    const key = CONFIG_KEYS.find((k) => dotted === k.dotted || dotted.startsWith(`${k.dotted}.`)); // list items too
    problems.push(`${sources.get(key?.dotted ?? dotted) ?? `${fileLabel}: ${dotted}`}: ${describeIssue(issue, key)}`);
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return { ...parsed.data, data_dir: resolve(cwd, parsed.data.data_dir) };
}
