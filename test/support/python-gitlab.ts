// python-gitlab (Debian's python3-gitlab) as a real client in tests: whether it is installed, and running python3.
import { type ProcessOutput, processOutput } from "../../src/shared/process-output.ts";

export const PYTHON = "/usr/bin/python3";

/** Whether `import gitlab` works; under CI its absence is an error, not a skip. */
export function pythonGitlabAvailable(): boolean {
  const available = Bun.spawnSync([PYTHON, "-c", "import gitlab"]).exitCode === 0;
  if (!available && process.env.CI)
    throw new Error("python3-gitlab is required when CI is set (apt-get install python3-gitlab)");
  return available;
}

/**
 * Runs `python3 args…` without a proxy and collects what it printed. Awaited, never spawnSync: the server under test
 * runs in this process.
 */
export function runPython(args: string[]): Promise<ProcessOutput> {
  const proc = Bun.spawn([PYTHON, ...args], {
    stdout: "pipe",
    stderr: "pipe",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_PROXY: "*", no_proxy: "*" },
  });
  return processOutput(proc);
}
