// Where porthole keeps its files under data_dir: the database, the builds folder and job artifacts.
import { isAbsolute, join } from "node:path";
import type { PortholeConfig } from "./schema.ts";

/** The SQLite database: `<data_dir>/porthole.db`. */
export function databasePath(config: PortholeConfig): string {
  return join(config.data_dir, "porthole.db");
}

/** The embedded runner's builds folder: `runner.builds_dir`, under data_dir unless absolute. */
export function buildsDir(config: PortholeConfig): string {
  const dir = config.runner.builds_dir;
  return isAbsolute(dir) ? dir : join(config.data_dir, dir);
}

/** Stored job artifacts: `<data_dir>/artifacts/<project id>/<job id>/`. */
export function artifactsDir(config: PortholeConfig): string {
  return join(config.data_dir, "artifacts");
}
