// The configuration flags every database-using command accepts (--config, --listen, --data-dir, …), from the schema.
import { CONFIG_KEYS, type ConfigKey } from "../config/keys.ts";
import { loadConfig } from "../config/load.ts";
import type { PortholeConfig } from "../config/schema.ts";

/** parseArgs options: `--config` plus one string flag per configuration key. */
export const configFlagOptions = Object.fromEntries([
  ["config", { type: "string" as const }],
  ...CONFIG_KEYS.map((key) => [key.flag, { type: "string" as const }]),
]) as Record<string, { type: "string" }>;

const placeholder = (key: ConfigKey) =>
  ({
    integer: "N",
    number: "N",
    boolean: "true|false",
    enum: key.values?.join("|") ?? "",
    list: "A,B",
    string: "VALUE",
  })[key.kind];

/** Help lines for the configuration flags, each with its TOML key and environment variable. */
export function configFlagHelp(): string {
  const rows = CONFIG_KEYS.map((key) => [`  --${key.flag} ${placeholder(key)}`, `${key.dotted}, ${key.env}`]);
  const width = Math.max(...rows.map(([flag]) => flag!.length)) + 2;
  return [
    "Configuration (flags override PORTHOLE_* variables, which override the TOML file):",
    `  --config PATH${" ".repeat(Math.max(1, width - 15))}TOML file (default: ./porthole.toml if present)`,
    ...rows.map(([flag, where]) => flag!.padEnd(width) + where),
  ].join("\n");
}

/** The configuration for this process: flag values from parseArgs, the real environment and working directory. */
export function configFromFlags(values: Record<string, unknown>): PortholeConfig {
  return loadConfig({ argvFlags: values, env: process.env, cwd: process.cwd() });
}
