// The backup file: a tar of `porthole.db` (a VACUUM INTO copy) and the data_dir folders that are not rebuilt.
import { UsageError } from "./args.ts";

/** The database's name inside the archive (and under data_dir). */
export const DATABASE_ENTRY = "porthole.db";
/** data_dir folders a backup holds: job artifacts, terminal recordings, the projects' git mirrors (logs are in the database). */
export const BACKED_UP_DIRS = ["artifacts", "recordings", "repos"] as const;

/** Runs the system `tar` (GNU or BSD) with `args`; throws with its message when it fails. */
export function tar(args: string[], what: string): string {
  const run = Bun.spawnSync(["tar", ...args], { stdout: "pipe", stderr: "pipe" });
  if (run.exitCode !== 0) throw new Error(`${what}: tar failed: ${run.stderr.toString().trim()}`);
  return run.stdout.toString();
}

/** The archive's entry names, refused unless each is the database or inside one of BACKED_UP_DIRS. */
export function checkedEntries(file: string, command: string): string[] {
  let names: string[];
  try {
    names = tar(["-tf", file], file)
      .split("\n")
      .filter((n) => n !== "");
  } catch (error) {
    throw new UsageError(`${command}: ${file} is not a porthole backup (${(error as Error).message})`);
  }
  const allowed = (name: string) => {
    const clean = name.replace(/^\.\//, "");
    if (clean.startsWith("/") || clean.split("/").includes("..")) return false;
    return clean === DATABASE_ENTRY || BACKED_UP_DIRS.some((d) => clean === d || clean.startsWith(`${d}/`));
  };
  const stray = names.find((n) => !allowed(n));
  if (stray !== undefined) throw new UsageError(`${command}: ${file} is not a porthole backup: it holds "${stray}"`);
  if (!names.some((n) => n.replace(/^\.\//, "") === DATABASE_ENTRY))
    throw new UsageError(`${command}: ${file} is not a porthole backup: it has no ${DATABASE_ENTRY}`);
  return names;
}
