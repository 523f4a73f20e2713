// The `.git` a job sees in its project dir: a copy of the runner's git directory that the runner itself never reads.
import { constants } from "node:fs";
import { cp, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { GitPlace } from "./git.ts";

/**
 * Copies `place.gitDir` (objects, refs, index, detached HEAD) to `<workTree>/.git`, so `git log`, `git status` and
 * `git describe` work in the job as they do on gitlab-runner. Its config is written anew: the runner's settings
 * (its work tree path) stay behind. Whatever the job then does to this copy, the next job's checkout never uses it.
 */
export async function giveJobItsGitDir(place: GitPlace, url: string): Promise<void> {
  const target = join(place.workTree, ".git");
  // A copy, never hard links: the job may write the files, and the runner's objects must stay as fetched.
  await cp(place.gitDir, target, {
    recursive: true,
    errorOnExist: true,
    force: false,
    mode: constants.COPYFILE_FICLONE,
  });
  const config = [
    "[core]",
    "\trepositoryformatversion = 0",
    "\tfilemode = true",
    "\tbare = false",
    "\tlogallrefupdates = true",
    '[remote "origin"]',
    `\turl = ${quoteConfigValue(url)}`,
    "\tfetch = +refs/heads/*:refs/remotes/origin/*",
    "",
  ].join("\n");
  await writeFile(join(target, "config"), config);
}

/** A git config value in double quotes, with the characters git would otherwise read as syntax escaped. */
function quoteConfigValue(value: string): string {
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n").replaceAll("\t", "\\t")}"`;
}
