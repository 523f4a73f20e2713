// Flag parsing for subcommands with node:util parseArgs (strict); a usage mistake becomes one line and exit code 2.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { nearestName } from "../config/nearest.ts";

/** A mistake in how a command was called: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type Options = NonNullable<ParseArgsConfig["options"]>;

export interface CommandSpec<O extends Options> {
  /** `porthole token create`: prefixes every message. */
  name: string;
  options: O;
  /** How many positional arguments the command takes (default 0). */
  positionals?: { min: number; max: number };
}

export type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>
>;

/** parseArgs's message cut to its first sentence, with a suggestion for a mistyped flag. */
function describeParseError(error: Error, flags: string[]): string {
  const first = error.message.split(/\.\s/)[0] ?? error.message;
  const unknown = /^Unknown option '--([^'=]+)'/.exec(first)?.[1];
  const hint = unknown === undefined ? undefined : nearestName(unknown, flags);
  return hint ? `${first} (did you mean --${hint}?)` : first;
}

/**
 * Parses `args` strictly against `spec`, adding `--help`/`-h`. Returns null when help was asked for
 * (the caller prints its help text); throws `UsageError` for an unknown flag, a missing or extra value.
 */
export function parseCommandArgs<O extends Options>(args: string[], spec: CommandSpec<O>): Parsed<O> | null {
  if (args.includes("--help") || args.includes("-h")) return null;
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args, options: spec.options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(
      `${spec.name}: ${describeParseError(error as Error, Object.keys(spec.options))} (see ${spec.name} --help)`,
    );
  }
  const { min, max } = spec.positionals ?? { min: 0, max: 0 };
  const count = parsed.positionals.length;
  if (count > max)
    throw new UsageError(`${spec.name}: unexpected argument '${parsed.positionals[max]}' (see ${spec.name} --help)`);
  if (count < min) throw new UsageError(`${spec.name}: missing argument (see ${spec.name} --help)`);
  return parsed;
}

/** The value of a required string flag, or a UsageError naming it. */
export function requireFlag(value: unknown, flag: string, command: string): string {
  if (typeof value !== "string" || value.trim() === "")
    throw new UsageError(`${command}: --${flag} is required (see ${command} --help)`);
  return value;
}

/** Prints a command's help text to stdout; returns exit code 0. */
export function printHelp(text: string): 0 {
  console.log(text);
  return 0;
}
