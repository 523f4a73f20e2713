// Runs the git CLI for a job's sources with a clean environment and config that a job cannot turn against the host.

export interface GitRun {
  /** git's stdout then stderr, as text. */
  output: string;
  code: number;
}

/** The environment git runs with: nothing of the server's but PATH and HOME (for the user's own git and ssh config). */
function gitEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    HOME: process.env.HOME ?? "/",
    LC_ALL: "C",
    GIT_TERMINAL_PROMPT: "0",
    GCM_INTERACTIVE: "never",
    GIT_SSH_COMMAND: "ssh -o BatchMode=yes",
    // A job may have written .git/refs/replace/<sha>: never let it swap the commit we check out.
    GIT_NO_REPLACE_OBJECTS: "1",
  };
}

/**
 * Runs `git <args>` in `cwd`. Hooks and fsmonitor are off and `ext::` URLs refused whatever the repository's
 * config says, since a job (in a container, say) can write its .git. Resolves with the exit code; when `signal`
 * aborts, git and its children (its own process group) are killed and the call resolves with their code.
 */
export async function runGit(args: readonly string[], cwd: string, signal: AbortSignal): Promise<GitRun> {
  const argv = [
    "git",
    "-c",
    `safe.directory=${cwd}`,
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "protocol.ext.allow=never",
    ...args,
  ];
  const proc = Bun.spawn(argv, { cwd, env: gitEnv(), stdin: "ignore", stdout: "pipe", stderr: "pipe", detached: true });
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
    const [stdout, stderr, code] = await Promise.all([
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
      proc.exited,
    ]);
    return { output: stdout + stderr, code };
  } finally {
    signal.removeEventListener("abort", kill);
  }
}
