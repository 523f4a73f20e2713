// `porthole backup <file>`: a consistent copy of a (possibly running) server's database, recordings and git mirrors.
import { Database } from "bun:sqlite";
import { existsSync, mkdtempSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { databasePath } from "../config/paths.ts";
import { parseCommandArgs, printHelp, UsageError } from "./args.ts";
import { BACKED_UP_DIRS, DATABASE_ENTRY, tar } from "./backup-archive.ts";
import { configFlagHelp, configFlagOptions, configFromFlags } from "./config-flags.ts";

const NAME = "porthole backup";

export const backupHelp = `Usage: porthole backup <file> [flags]

Writes a tar file holding a consistent copy of <data_dir>/porthole.db (SQLite's VACUUM INTO: users, projects,
pipelines, jobs and their logs, tokens, audit) and the folders artifacts/, recordings/ and repos/. Safe while the server
runs: jobs that finish after the copy began are not in it. <file> appears only once complete.
"porthole restore <file>" puts it back into an empty data_dir.

${configFlagHelp()}`;

export async function runBackup(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    name: NAME,
    options: configFlagOptions,
    positionals: { min: 1, max: 1 },
  });
  if (!parsed) return printHelp(backupHelp);
  const config = configFromFlags(parsed.values);
  const dataDir = resolve(config.data_dir);
  const source = databasePath({ ...config, data_dir: dataDir });
  const target = resolve(parsed.positionals[0]!);
  if (!existsSync(source)) throw new UsageError(`${NAME}: no database at ${source} (see --data-dir)`);
  if (existsSync(target)) throw new UsageError(`${NAME}: ${target} exists already; choose a new file`);
  if (!existsSync(dirname(target))) throw new UsageError(`${NAME}: the folder ${dirname(target)} does not exist`);

  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.`));
  try {
    const copy = join(staging, DATABASE_ENTRY);
    const db = new Database(source, { readonly: true });
    try {
      db.run("PRAGMA busy_timeout = 5000");
      db.query("VACUUM INTO ?").run(copy);
    } finally {
      db.close();
    }
    const dirs = BACKED_UP_DIRS.filter((d) => existsSync(join(dataDir, d)));
    const partial = join(staging, "backup.tar");
    tar(["-cf", partial, "-C", staging, DATABASE_ENTRY, ...(dirs.length ? ["-C", dataDir, ...dirs] : [])], NAME);
    renameSync(partial, target);
    const size = (path: string) => `${Math.ceil(statSync(path).size / 1024)} KiB`;
    console.log(`${target}: ${DATABASE_ENTRY} (${size(copy)})${dirs.map((d) => `, ${d}/`).join("")}; ${size(target)}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return 0;
}
