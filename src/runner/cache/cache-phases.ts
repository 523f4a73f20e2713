// Restoring a job's caches before its script and saving them after, with gitlab-runner's log lines.
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import type { PayloadCache } from "../../domain/coordinator.ts";
import { expandValue } from "../../domain/variables.ts";
import type { JobVariable } from "../../executor/types.ts";
import { type GitPlace, runGit } from "../git.ts";
import type { JobLog } from "../job-log.ts";
import { CACHE_FILE, CACHE_FILES, extractArchive, writeArchive } from "./cache-archive.ts";
import { badKey, cacheKey, fallbackKeys, type Lookup } from "./cache-key.ts";
import { cachePaths } from "./cache-paths.ts";

export interface CachePlace {
  caches: readonly PayloadCache[];
  /** `<buildsDir>-cache/<namespace>/<project>`: runner-only storage, never inside the builds directory. */
  storeDir: string;
  projectDir: string;
  git: GitPlace | null;
  variables: readonly JobVariable[];
  log: JobLog;
  signal: AbortSignal;
}

/** Where the runner keeps a project's caches, beside the builds directory (as the runner-only git directories). */
export function cacheStoreFor(buildsDir: string, projectPath: string): string {
  return join(`${buildsDir}-cache`, ...projectPath.split("/"));
}

const lookupIn =
  (variables: readonly JobVariable[]): Lookup =>
  (name) =>
    variables.findLast((v) => v.key === name)?.value;

async function existingArchive(storeDir: string, key: string): Promise<string | null> {
  for (const name of CACHE_FILES) {
    const file = join(storeDir, key, name);
    if ((await lstat(file).catch(() => null))?.isFile()) return file;
  }
  return null;
}

/** A cache with its key, fixed when the job starts (a job that edits its lock file still saves under the old key). */
export interface KeyedCache {
  cache: PayloadCache;
  key: string;
}

/** Each cache's key, from the sources as checked out. */
export async function keyCaches(place: CachePlace): Promise<KeyedCache[]> {
  const lookup = lookupIn(place.variables);
  const keyed: KeyedCache[] = [];
  for (const cache of place.caches) keyed.push({ cache, key: await cacheKey(cache, place.projectDir, lookup) });
  return keyed;
}

/** Restores each cache from its key or the first fallback key that has one; a miss is a warning, never a failure. */
export async function restoreCaches(place: CachePlace, keyed: readonly KeyedCache[]): Promise<void> {
  const { log } = place;
  const lookup = lookupIn(place.variables);
  for (const { cache, key } of keyed) {
    place.signal.throwIfAborted();
    if (cache.policy === "push") {
      log.info(`Not downloading cache ${key} due to policy`);
      continue;
    }
    for (const candidate of [key, ...fallbackKeys(cache, lookup)]) {
      const bad = badKey(candidate);
      if (bad) {
        log.warning(bad);
        continue;
      }
      log.info(`Checking cache for ${candidate}...`);
      const file = await existingArchive(place.storeDir, candidate);
      if (!file) {
        log.warning("file does not exist");
        log.info("Failed to extract cache");
        continue;
      }
      log.info(
        "No URL provided, cache will not be downloaded from shared cache server. Instead a local version of cache will be extracted.",
      );
      try {
        await extractArchive(file, place.projectDir);
        log.info("Successfully extracted cache");
        break;
      } catch (err) {
        log.warning(err instanceof Error ? err.message : String(err));
        log.info("Failed to extract cache");
      }
    }
  }
}

/** The caches to save for a job that ended `succeeded` or not, by each cache's `when`. */
export function cachesToSave(keyed: readonly KeyedCache[], succeeded: boolean): KeyedCache[] {
  return keyed.filter(({ cache: c }) => c.when === "always" || c.when === (succeeded ? "on_success" : "on_failure"));
}

/** Saves each cache whose policy pushes; a failure to save is a warning, as in gitlab-runner. */
export async function saveCaches(place: CachePlace, keyed: readonly KeyedCache[]): Promise<void> {
  const { log } = place;
  const lookup = lookupIn(place.variables);
  for (const { cache, key } of keyed) {
    if (cache.policy === "pull") {
      log.info(`Not uploading cache ${key} due to policy`);
      continue;
    }
    const bad = badKey(key);
    if (bad) {
      log.warning(bad);
      continue;
    }
    log.info(`Creating cache ${key}...`);
    const report = { info: (line: string) => log.info(line), warning: (line: string) => log.warning(line) };
    const paths = cache.paths.map((p) => relativeToProject(expandValue(p, lookup), lookup("CI_PROJECT_DIR")));
    const untracked = cache.untracked ? await untrackedFiles(place) : [];
    const files = await cachePaths(place.projectDir, paths, untracked, report);
    if (files.length === 0) {
      log.info("Skipping cache archiving due to empty cache");
      continue;
    }
    log.info("No URL provided, cache will not be uploaded to shared cache server. Cache will be stored only locally.");
    try {
      await writeArchive(place.projectDir, files, join(place.storeDir, key, CACHE_FILE));
      log.info("Created cache");
    } catch (err) {
      log.warning(`Failed to create cache: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** `$CI_PROJECT_DIR/vendor` (the project dir as the job sees it) means `vendor`, as in gitlab-runner. */
function relativeToProject(path: string, jobProjectDir: string | undefined): string {
  if (!jobProjectDir) return path;
  if (path === jobProjectDir) return ".";
  return path.startsWith(`${jobProjectDir}/`) ? path.slice(jobProjectDir.length + 1) : path;
}

/** Files git does not track, asked of the runner's own git directory (never the `.git` the job could write). */
async function untrackedFiles(place: CachePlace): Promise<string[]> {
  if (!place.git) return [];
  const run = await runGit(["ls-files", "--others", "-z"], place.git, place.signal);
  return run.code === 0 ? run.output.split("\0").filter((p) => p !== "" && !p.startsWith(".git/")) : [];
}
