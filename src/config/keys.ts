// The flat list of configuration keys, derived from the zod schema: dotted name, env name, flag name and kind.
import { configSchema } from "./schema.ts";

/** How a key's text value (from env or a flag) is read. */
export type KeyKind = "string" | "integer" | "number" | "boolean" | "enum" | "list";

export interface ConfigKey {
  /** Where the key lives in the config object: `["listen"]` or `["runner", "concurrent"]`. */
  path: [string] | [string, string];
  /** `runner.concurrent`: the name used in messages and in the TOML file. */
  dotted: string;
  /** `PORTHOLE_RUNNER_CONCURRENT` */
  env: string;
  /** `runner-concurrent` (used as `--runner-concurrent`) */
  flag: string;
  kind: KeyKind;
  /** The allowed values of an `enum` key. */
  values?: string[];
}

/** The zod internals this module reads; zod 4 keeps a schema's definition in `.def`. */
interface SchemaDef {
  type: string;
  innerType?: { def: SchemaDef };
  shape?: Record<string, { def: SchemaDef }>;
  entries?: Record<string, string>;
  format?: string;
  checks?: { _zod: { def: { check?: string; format?: string } } }[];
}

function unwrap(def: SchemaDef): SchemaDef {
  while (def.innerType && ["default", "prefault", "optional", "nullable"].includes(def.type)) def = def.innerType.def;
  return def;
}

function kindOf(def: SchemaDef, dotted: string): Pick<ConfigKey, "kind" | "values"> {
  switch (def.type) {
    case "string":
      return { kind: "string" };
    case "boolean":
      return { kind: "boolean" };
    case "array":
      return { kind: "list" };
    case "enum":
      return { kind: "enum", values: Object.values(def.entries ?? {}) };
    case "number": {
      const int = def.checks?.some((c) => c._zod.def.format === "safeint" || c._zod.def.format === "int32");
      return { kind: int ? "integer" : "number" };
    }
    default:
      throw new Error(`config key ${dotted}: schema type ${def.type} has no text form`);
  }
}

function makeKey(path: [string] | [string, string], def: SchemaDef): ConfigKey {
  const dotted = path.join(".");
  const words = path.join("_");
  return {
    path,
    dotted,
    env: `PORTHOLE_${words.toUpperCase()}`,
    flag: words.replaceAll("_", "-"),
    ...kindOf(def, dotted),
  };
}

function deriveKeys(): ConfigKey[] {
  const keys: ConfigKey[] = [];
  for (const [name, field] of Object.entries(configSchema.shape)) {
    const def = unwrap((field as unknown as { def: SchemaDef }).def);
    if (def.type !== "object") {
      keys.push(makeKey([name], def));
      continue;
    }
    for (const [sub, subField] of Object.entries(def.shape ?? {}))
      keys.push(makeKey([name, sub], unwrap(subField.def)));
  }
  return keys;
}

/** Every key the schema knows, top-level keys first, in schema order. */
export const CONFIG_KEYS: readonly ConfigKey[] = deriveKeys();

/** `PORTHOLE_*` variables that are read elsewhere (boot, tests) and are not configuration keys. */
export const NON_CONFIG_ENV: readonly string[] = [
  "PORTHOLE_ROOT_PASSWORD", // boot: the first admin's password
  "PORTHOLE_TOKEN", // porthole attach: the API token
  "PORTHOLE_CA_FILE", // porthole attach: PEM certificates to trust (a private CA)
  "PORTHOLE_REQUIRE_DOCKER", // tests: a missing engine fails instead of skipping
  "PORTHOLE_REQUIRE_BROWSER",
  "PORTHOLE_REQUIRE_NETNS", // tests: remote runners need root and ip netns
];
