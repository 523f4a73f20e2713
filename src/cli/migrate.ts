// `porthole migrate`: applies pending database migrations and exits.
import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { databasePath } from "../config/paths.ts";
import { migrate } from "../store/migrate.ts";
import { parseCommandArgs, printHelp } from "./args.ts";
import { configFlagHelp, configFlagOptions, configFromFlags } from "./config-flags.ts";

export const migrateHelp = `Usage: porthole migrate [flags]

Applies pending migrations to <data_dir>/porthole.db (creating it if needed) and exits.
"porthole serve" does the same at start; this is for upgrades you want to run first.

${configFlagHelp()}`;

export async function runMigrate(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { name: "porthole migrate", options: configFlagOptions });
  if (!parsed) return printHelp(migrateHelp);
  const path = databasePath(configFromFlags(parsed.values));
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, { create: true, strict: true });
  try {
    sqlite.run("PRAGMA busy_timeout = 5000");
    const applied = migrate(sqlite);
    console.log(applied.length === 0 ? `${path}: up to date` : `${path}: applied ${applied.join(", ")}`);
  } finally {
    sqlite.close();
  }
  return 0;
}
