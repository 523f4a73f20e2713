// The command table and dispatcher: picks the subcommand, runs it, and turns its errors into messages and exit codes.
import { nearestName } from "../config/nearest.ts";
import { ConfigError } from "../config/problems.ts";
import { DomainError } from "../domain/errors.ts";
import { WATCHDOG_COMMAND } from "../executor/docker/watchdog-command.ts";
import { VERSION } from "../version.ts";
import { printHelp, UsageError } from "./args.ts";

type Run = (args: string[]) => Promise<number>;

/** Each command is imported only when chosen, so `porthole version` does not load the server. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Run> }> = {
  serve: {
    summary: "run the server: web UI, API, store and embedded runner",
    load: async () => (await import("./serve.ts")).runServe,
  },
  migrate: {
    summary: "apply pending database migrations and exit",
    load: async () => (await import("./migrate.ts")).runMigrate,
  },
  backup: {
    summary: "copy the database, artifacts, recordings and git mirrors into a tar (backup <file>), also while serving",
    load: async () => (await import("./backup.ts")).runBackup,
  },
  restore: {
    summary: "unpack a backup into an empty data_dir (restore <file>)",
    load: async () => (await import("./restore.ts")).runRestore,
  },
  user: {
    summary: "manage users (user create --username U, list, block, unblock, delete)",
    load: async () => (await import("./user.ts")).runUser,
  },
  token: {
    summary: "print a new personal access token (token create --user U)",
    load: async () => (await import("./token.ts")).runToken,
  },
  attach: {
    summary: "open a running job's terminal here (attach <job URL>)",
    load: async () => (await import("./attach.ts")).runAttach,
  },
  runner: {
    summary: "run jobs for a server from another machine (not yet available)",
    load: async () => (await import("./runner.ts")).runRunner,
  },
  version: { summary: "print the version", load: async () => (await import("./version.ts")).runVersion },
};

export const topHelp = `porthole ${VERSION}: a CI server for .gitlab-ci.yml pipelines, with web terminals into running jobs.

Usage: porthole <command> [flags]    (porthole <command> --help for its flags)

Commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(9)}${summary}`)
  .join("\n")}`;

/** `porthole user create` for messages: the command and its subcommand word, if any. */
function commandLabel(name: string, args: string[]): string {
  const sub = args[0];
  return sub !== undefined && /^[a-z]+$/.test(sub) && ["user", "token"].includes(name)
    ? `porthole ${name} ${sub}`
    : `porthole ${name}`;
}

/**
 * Runs the command named by `argv[0]` with the rest. Exit codes: 0 success; 2 a usage, configuration or
 * input mistake (one line per problem on stderr); 1 anything else that failed.
 */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === "--help" || name === "-h" || name === "help") return printHelp(topHelp);
  if (name === "--version") return (await COMMANDS.version!.load())([]);
  if (name === undefined) {
    console.error(topHelp);
    return 2;
  }
  if (name === WATCHDOG_COMMAND) return (await import("../executor/docker/watchdog.ts")).runWatchdog(args);
  const command = COMMANDS[name];
  if (!command) {
    const hint = nearestName(name, Object.keys(COMMANDS));
    console.error(`porthole: unknown command '${name}'${hint ? ` (did you mean ${hint}?)` : ""}; see porthole --help`);
    return 2;
  }
  try {
    return await (await command.load())(args);
  } catch (error) {
    if (error instanceof UsageError) console.error(error.message);
    else if (error instanceof ConfigError) console.error(error.problems.join("\n"));
    else if (error instanceof DomainError) console.error(`${commandLabel(name, args)}: ${error.message}`);
    else {
      console.error(`${commandLabel(name, args)}: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
    return 2;
  }
}
