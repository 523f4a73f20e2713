// Runs the git CLI for a job's sources on a runner-only git directory, with a fixed configuration a job cannot change.
import { isolatedGitEnv } from "../shared/git-env.ts";
import { processOutput } from "../shared/process-output.ts";

export interface GitRun {
  /** git's stdout then stderr, as text. */
  output: string;
  code: number;
}

/** Where git works: its git directory (runner-only storage) and the work tree it checks out into (the project dir). */
export interface GitPlace {
  gitDir: string;
  workTree: string;
}

/** Settings on every call, above the git directory's own config (which only the runner writes). */
const FIXED_CONFIG = [
  "core.bare=false",
  "core.hooksPath=/dev/null",
  "core.fsmonitor=false",
  "core.attributesFile=/dev/null",
  "core.excludesFile=/dev/null",
  "core.untrackedCache=false",
  "submodule.recurse=false",
  "protocol.ext.allow=never",
  "gc.auto=0",
  "maintenance.auto=false",
];

/**
 * Runs `git <args>` with `--git-dir` and `--work-tree` given explicitly, started in the git directory: git never
 * looks for a `.git` in the project dir, so nothing a job wrote there (a `.git/commondir`, a config, hooks) is
 * read. Resolves with the exit code; when `signal` aborts, git and its children (its own process group) are
 * killed and the call resolves with their code.
 */
export async function runGit(args: readonly string[], place: GitPlace, signal: AbortSignal): Promise<GitRun> {
  const argv = [
    "git",
    `--git-dir=${place.gitDir}`,
    `--work-tree=${place.workTree}`,
    "-c",
    `safe.directory=${place.gitDir}`,
    ...FIXED_CONFIG.flatMap((setting) => ["-c", setting]),
    ...args,
  ];
  const proc = Bun.spawn(argv, {
    cwd: place.gitDir,
    env: isolatedGitEnv(),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    detached: true,
  });
  const kill = () => {
    try {
      process.kill(-proc.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  signal.addEventListener("abort", kill, { once: true });
  if (signal.aborted) kill();
  try {
    const { stdout, stderr, code } = await processOutput(proc);
    return { output: stdout + stderr, code };
  } finally {
    signal.removeEventListener("abort", kill);
  }
}
