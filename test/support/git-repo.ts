// Makes real git repositories in temp folders for tests.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

function git(dir: string, ...args: string[]) {
  const res = Bun.spawnSync(["git", ...args], {
    cwd: dir,
    env: {
      PATH: process.env.PATH!,
      HOME: dir,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@x",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@x",
    },
  });
  if (res.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${res.stderr.toString()}`);
  return res.stdout.toString().trim();
}

/** A repository on branch `main` with `files` committed; returns its path and a commit function. */
export function makeRepo(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "porthole-repo-"));
  git(dir, "init", "-q", "-b", "main");
  const commit = (more: Record<string, string>, message = "change") => {
    for (const [path, text] of Object.entries(more)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", message);
    return git(dir, "rev-parse", "HEAD");
  };
  const sha = commit(files, "initial");
  return { dir, sha, commit, git: (...args: string[]) => git(dir, ...args) };
}
