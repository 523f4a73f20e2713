// The shell executor: runs a job's steps with bash in the project directory, in the job's sandbox (or on the host).
import { chown, mkdir, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Pty } from "../../domain/pty.ts";
import { spawnPty } from "../../pty/spawn-pty.ts";
import { type Executor, type JobEnvironment, SystemFailure } from "../types.ts";
import { sandboxBaseEnvironment, stepEnvironment, terminalEnvironment } from "./environment.ts";
import { chownTree } from "./hand-over.ts";
import type { JobUser } from "./job-user.ts";
import { type JobSandbox, type SandboxPrograms, startJobSandbox } from "./sandbox.ts";
import { SANDBOX_HOME, SANDBOX_PATH } from "./sandbox-args.ts";
import { runStepProcess } from "./step-process.ts";
import { tagRootFor } from "./sweep.ts";
import { killProcessesWithEnv, PROCESS_TAG } from "./tagged-processes.ts";

/** Programs the executor runs: bash for steps, the user's shell for terminals. */
export interface ShellPrograms {
  bash: string;
  terminalShell: string;
}

/** Where jobs run: each in its own sandbox as `user`, or (`none`, demos only) on the host as the server. */
export type ShellIsolation =
  | { kind: "none" }
  | {
      kind: "sandbox";
      programs: SandboxPrograms;
      user: JobUser;
      serverIsRoot: boolean;
      /** data_dir and the builds root: hidden in the sandbox even when below a system path. */
      hiddenPaths: readonly string[];
    };

/** The line a job on the host carries in its log (and the server at start). */
export const NO_ISOLATION_WARNING =
  'WARNING: runner.shell_isolation = "none": shell jobs run unsandboxed as the server\'s user and can read and change everything the server can (its database, its environment, other jobs)';

/**
 * One job's shell environment. Scripts are written to `<projectDir>.tmp/` (next to the project, never in it).
 * Sandboxed, prepare() starts the job's sandbox and every step and terminal enters it, so a terminal sees the
 * job's processes, files and /tmp. Every process of the job carries `PORTHOLE_PROCESS_TAG=…:<executor id>/<step>/`
 * so that a step's leftovers (also those that left its process group) end with the step.
 */
export function createShellExecutor(env: JobEnvironment, programs: ShellPrograms, isolation: ShellIsolation): Executor {
  const sandboxed = isolation.kind === "sandbox";
  const tagRoot = tagRootFor(crypto.randomUUID(), sandboxed);
  const tmpDir = `${env.projectDir}.tmp`;
  const terminals = new Set<Pty>();
  /** A root server running jobs as someone else hands them their folder (host git made it root's). */
  const owner = sandboxed && isolation.serverIsRoot && isolation.user.uid !== 0 ? isolation.user : null;
  const base = sandboxed ? sandboxBaseEnvironment(isolation.user.name, SANDBOX_HOME, SANDBOX_PATH) : undefined;
  let sandbox: Promise<JobSandbox> | null = null;
  let owned: Promise<void> | null = null;
  let steps = 0;
  let cleaning: Promise<void> | null = null;

  async function cleanup() {
    await Promise.all([...terminals].map((t) => t.close()));
    await killProcessesWithEnv(`${PROCESS_TAG}=${tagRoot}`);
    await (await sandbox?.catch(() => null))?.kill();
    await rm(tmpDir, { recursive: true, force: true });
  }

  /** The argv prefix that puts a program into the job's environment, in the project directory. */
  async function entry(): Promise<string[]> {
    if (cleaning) throw new SystemFailure("the job's environment is already cleaned up");
    if (!sandbox) return [];
    if (owner) {
      owned ??= chownTree(env.projectDir, owner.uid, owner.gid).catch((err: Error) => {
        throw new SystemFailure(`could not hand the project directory to ${owner.name}: ${err.message}`);
      });
    }
    await owned;
    return [...(await sandbox).enter];
  }

  return {
    async prepare(out) {
      out.info("Using Shell (bash) executor...");
      out.info(`Running on ${hostname()}...`);
      if (!sandboxed) out.info(NO_ISOLATION_WARNING);
      try {
        await rm(tmpDir, { recursive: true, force: true });
        await mkdir(tmpDir, { mode: 0o700 });
        if (owner) await chown(tmpDir, owner.uid, owner.gid);
        if (owner && env.controlDir) await chown(env.controlDir, owner.uid, owner.gid);
      } catch (err) {
        throw new SystemFailure(`could not create the script directory ${tmpDir}: ${(err as Error).message}`);
      }
      if (!sandboxed || cleaning) return;
      const { programs: tools, user, serverIsRoot, hiddenPaths } = isolation;
      const layout = { projectDir: env.projectDir, scriptsDir: tmpDir, controlDir: env.controlDir, hiddenPaths, user };
      sandbox = startJobSandbox(tools, layout, user, serverIsRoot);
      try {
        await sandbox;
      } catch (err) {
        throw new SystemFailure((err as Error).message);
      }
      out.info(`Running in a sandbox as ${isolation.user.name} (only the project directory is writable)...`);
    },

    async run(step, out, signal) {
      const prefix = await entry();
      const n = ++steps;
      const scriptFile = join(tmpDir, `${step.name}-${n}.sh`);
      // Both streams into one pipe, so stdout and stderr reach the log in the order they were written.
      await writeFile(scriptFile, `exec 2>&1\n${step.script}`, { mode: 0o600 });
      if (owner) await chown(scriptFile, owner.uid, owner.gid);
      return runStepProcess({
        prefix,
        bash: programs.bash,
        scriptFile,
        cwd: env.projectDir,
        env: stepEnvironment(env.variables, `${tagRoot}${step.name}-${n}/`, base),
        out,
        signal,
      });
    },

    async openTerminal(size) {
      const prefix = await entry();
      const isBash = /(^|\/)bash$/.test(programs.terminalShell);
      const argv = isBash ? [programs.terminalShell, "--noprofile", "--norc", "-i"] : [programs.terminalShell, "-i"];
      const prompt = isBash ? `\\u@job-${env.jobId}:\\w\\$ ` : null;
      const pty = spawnPty([...prefix, ...withSavedState(programs.bash, env.controlDir, argv)], {
        cwd: env.projectDir,
        env: terminalEnvironment(env.variables, `${tagRoot}terminal/`, prompt, base),
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

/** A debugged job's terminal first reads the script's saved shell state (variables, directory), then is `argv`. */
function withSavedState(bash: string, controlDir: string | undefined, argv: string[]): string[] {
  if (!controlDir) return argv;
  const start = 'if [ -r "$0/state.sh" ]; then . "$0/state.sh" >/dev/null 2>&1; fi; exec "$@"';
  return [bash, "-c", start, controlDir, ...argv];
}
