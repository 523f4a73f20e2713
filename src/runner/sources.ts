// A job's project directory and its sources: a git checkout of the exact commit, or an empty directory.
import { lstat, mkdir, readdir, rm } from "node:fs/promises";
import { join, relative } from "node:path";
import type { JobSources } from "../domain/coordinator.ts";
import { SystemFailure } from "../executor/types.ts";
import { type GitPlace, runGit } from "./git.ts";
import { giveJobItsGitDir } from "./job-git-dir.ts";
import type { JobLog } from "./job-log.ts";

const PATH_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const SHA = /^[0-9a-f]{7,64}$/;

/**
 * `<buildsDir>/<slot>/<namespace>/<project>`, gitlab-runner's layout for concurrent jobs. Throws SystemFailure
 * for a project path that is not a plain `group/…/project` (it must never leave the builds directory).
 */
export function projectDirFor(buildsDir: string, slot: number, projectPath: string): string {
  const segments = projectPath.split("/");
  if (segments.length < 2 || !segments.every((s) => PATH_SEGMENT.test(s) && !s.endsWith(".git"))) {
    throw new SystemFailure(`invalid project path ${JSON.stringify(projectPath)}`);
  }
  return join(buildsDir, String(slot), ...segments);
}

/**
 * Makes `projectDir` exist as real directories below `buildsDir`: a link or file a previous job left in its
 * place (a link to the user's home, say) is removed first, so that nothing below ever touches another place.
 */
export async function ensureProjectDir(buildsDir: string, projectDir: string): Promise<void> {
  let path = buildsDir;
  await mkdir(buildsDir, { recursive: true });
  for (const segment of relative(buildsDir, projectDir).split("/")) {
    path = join(path, segment);
    const stat = await lstat(path).catch(() => null);
    if (stat && !stat.isDirectory()) await rm(path, { force: true });
    if (!stat?.isDirectory()) await mkdir(path);
  }
}

/**
 * The runner-only git directory of a project dir: `<buildsDir>-git/<slot>/<namespace>/<project>`, beside the builds
 * directory and never inside it, so that no container mount or sandbox view of the builds reaches it.
 */
export function gitDirFor(buildsDir: string, projectDir: string): string {
  return join(`${buildsDir}-git`, relative(buildsDir, projectDir));
}

/** Lock files a runner killed in the middle of a git command leaves in its git directory. */
const STALE_LOCKS = ["index.lock", "shallow.lock", "HEAD.lock", "config.lock", "packed-refs.lock"];

/**
 * Fills `place.workTree` (the project dir, made by ensureProjectDir) with the job's sources. Host git works only
 * on `place.gitDir`, runner-only storage, and never reads the project dir's `.git`: a job can write that folder,
 * so what it left there is removed, and the job gets a fresh copy of the runner's git directory for its own git
 * commands. A git error throws SystemFailure with git's words in the log; an abort throws the signal's reason.
 */
export async function getSources(
  sources: JobSources,
  place: GitPlace,
  log: JobLog,
  signal: AbortSignal,
): Promise<void> {
  const projectDir = place.workTree;
  if (sources.kind === "none") {
    log.notice("Skipping Git repository setup: the project has no repository");
    // Empty it in place: a container may already have it bind-mounted, and a new directory would not be seen there.
    for (const entry of await readdir(projectDir)) await rm(join(projectDir, entry), { recursive: true, force: true });
    log.info("Created an empty project directory");
    return;
  }
  if (!SHA.test(sources.sha)) throw new SystemFailure(`invalid commit sha ${JSON.stringify(sources.sha)}`);
  if (sources.url.startsWith("-")) throw new SystemFailure("invalid repository URL");
  const git = async (args: string[], failure: string) => {
    signal.throwIfAborted();
    const run = await runGit(args, place, signal);
    signal.throwIfAborted();
    if (run.output.trim()) log.output(new TextEncoder().encode(run.output));
    if (run.code !== 0) throw new SystemFailure(`${failure} (git exit code ${run.code})`);
    return run;
  };

  log.notice("Fetching changes...");
  await rm(join(projectDir, ".git"), { recursive: true, force: true });
  const fresh = !(await lstat(join(place.gitDir, "HEAD")).catch(() => null));
  await mkdir(place.gitDir, { recursive: true });
  await Promise.all(STALE_LOCKS.map((lock) => rm(join(place.gitDir, lock), { force: true })));
  await git(["-c", "init.defaultBranch=none", "init", "--template="], "could not initialize the repository");
  await git(["config", "remote.origin.url", sources.url], "could not set the repository's remote");
  if (fresh) log.notice("Created fresh repository.");
  await git(
    [
      "fetch",
      "origin",
      "--prune",
      "--no-recurse-submodules",
      "+refs/heads/*:refs/remotes/origin/*",
      "+refs/tags/*:refs/tags/*",
    ],
    "could not fetch the repository",
  );
  const present = await runGit(["cat-file", "-e", `${sources.sha}^{commit}`], place, signal);
  if (present.code !== 0)
    await git(["fetch", "origin", "--no-recurse-submodules", sources.sha], `commit ${sources.sha} not found`);
  log.notice(`Checking out ${sources.sha.slice(0, 8)} as detached HEAD (ref is ${sources.ref})...`);
  await git(["checkout", "-f", "-q", sources.sha], "could not check out the commit");
  await git(["clean", "-ffdx", "-q"], "could not clean the project directory");
  await git(["reset", "--hard", "-q"], "could not reset the project directory");
  await giveJobItsGitDir(place, sources.url);
  log.notice("Skipping Git submodules setup");
}
