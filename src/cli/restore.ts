// `porthole restore <file>`: puts a `porthole backup` into an empty data_dir and checks the database it holds.
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { databasePath } from "../config/paths.ts";
import { openStore } from "../store/db.ts";
import { parseCommandArgs, printHelp, UsageError } from "./args.ts";
import { checkedEntries, tar } from "./backup-archive.ts";
import { configFlagHelp, configFlagOptions, configFromFlags } from "./config-flags.ts";

const NAME = "porthole restore";

export const restoreHelp = `Usage: porthole restore <file> [flags]

Unpacks a file made by "porthole backup" into <data_dir>, which must be empty or absent, then checks the
database (PRAGMA integrity_check) and applies pending migrations. Start "porthole serve" on it afterwards.

${configFlagHelp()}`;

export async function runRestore(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    name: NAME,
    options: configFlagOptions,
    positionals: { min: 1, max: 1 },
  });
  if (!parsed) return printHelp(restoreHelp);
  const config = configFromFlags(parsed.values);
  const dataDir = resolve(config.data_dir);
  const file = resolve(parsed.positionals[0]!);
  if (!existsSync(file)) throw new UsageError(`${NAME}: no file ${file}`);
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0)
    throw new UsageError(`${NAME}: ${dataDir} is not empty; restore into an empty data_dir (see --data-dir)`);
  checkedEntries(file, NAME);

  mkdirSync(dataDir, { recursive: true });
  try {
    tar(["-xf", file, "-C", dataDir], NAME);
    const store = openStore(databasePath({ ...config, data_dir: dataDir }));
    try {
      const check = store.sqlite.query("PRAGMA integrity_check").get() as { integrity_check: string };
      if (check.integrity_check !== "ok")
        throw new Error(`${NAME}: the database in ${file} is damaged: ${check.integrity_check}`);
    } finally {
      store.close();
    }
  } catch (error) {
    for (const entry of readdirSync(dataDir)) rmSync(join(dataDir, entry), { recursive: true, force: true });
    throw error;
  }
  console.log(`${file} restored into ${dataDir}`);
  return 0;
}
