// The shell executor: runs a job's steps with bash on this machine, in the project directory, as the server's user.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Pty } from "../../domain/pty.ts";
import { spawnPty } from "../../pty/spawn-pty.ts";
import { type Executor, type JobEnvironment, SystemFailure } from "../types.ts";
import { stepEnvironment, terminalEnvironment } from "./environment.ts";
import { runStepProcess } from "./step-process.ts";
import { tagRootFor } from "./sweep.ts";
import { killProcessesWithEnv, PROCESS_TAG } from "./tagged-processes.ts";

/** Programs the executor runs: bash for steps, the user's shell for terminals. */
export interface ShellPrograms {
  bash: string;
  terminalShell: string;
}

/**
 * One job's shell environment. Scripts are written to `<projectDir>.tmp/` (next to the project, never in it),
 * and every process of the job carries `PORTHOLE_PROCESS_TAG=<server pid>:<executor id>/<step>/` so that cleanup also finds
 * those that left their process group.
 */
export function createShellExecutor(env: JobEnvironment, programs: ShellPrograms): Executor {
  const tagRoot = tagRootFor(crypto.randomUUID());
  const tmpDir = `${env.projectDir}.tmp`;
  const terminals = new Set<Pty>();
  let steps = 0;
  let cleaning: Promise<void> | null = null;

  async function cleanup() {
    await Promise.all([...terminals].map((t) => t.close()));
    await killProcessesWithEnv(`${PROCESS_TAG}=${tagRoot}`);
    await rm(tmpDir, { recursive: true, force: true });
  }

  return {
    async prepare(out) {
      out.info("Using Shell (bash) executor...");
      out.info(`Running on ${hostname()}...`);
      try {
        await rm(tmpDir, { recursive: true, force: true });
        await mkdir(tmpDir, { mode: 0o700 });
      } catch (err) {
        throw new SystemFailure(`could not create the script directory ${tmpDir}: ${(err as Error).message}`);
      }
    },

    async run(step, out, signal) {
      if (cleaning) throw new SystemFailure("the job's environment is already cleaned up");
      const n = ++steps;
      const scriptFile = join(tmpDir, `${step.name}-${n}.sh`);
      // Both streams into one pipe, so stdout and stderr reach the log in the order they were written.
      await writeFile(scriptFile, `exec 2>&1\n${step.script}`, { mode: 0o600 });
      return runStepProcess({
        bash: programs.bash,
        scriptFile,
        cwd: env.projectDir,
        env: stepEnvironment(env.variables, `${tagRoot}${step.name}-${n}/`),
        out,
        signal,
      });
    },

    async openTerminal(size) {
      if (cleaning) throw new SystemFailure("the job's environment is already cleaned up");
      const isBash = /(^|\/)bash$/.test(programs.terminalShell);
      const argv = isBash ? [programs.terminalShell, "--noprofile", "--norc", "-i"] : [programs.terminalShell, "-i"];
      const prompt = isBash ? `\\u@job-${env.jobId}:\\w\\$ ` : null;
      const pty = spawnPty(argv, {
        cwd: env.projectDir,
        env: terminalEnvironment(env.variables, `${tagRoot}terminal/`, prompt),
        cols: size.cols,
        rows: size.rows,
      });
      terminals.add(pty);
      return {
        get canPause() {
          return pty.canPause;
        },
        write: (bytes) => pty.write(bytes),
        resize: (cols, rows) => pty.resize(cols, rows),
        onData: (listener) => pty.onData(listener),
        onExit: (listener) => pty.onExit(listener),
        pause: () => pty.pause(),
        resume: () => pty.resume(),
        async close() {
          terminals.delete(pty);
          await pty.close();
        },
      };
    },

    cleanup() {
      cleaning ??= cleanup();
      return cleaning;
    },
  };
}
