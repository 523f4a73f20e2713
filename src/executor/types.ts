// The executor contract: how the runner drives one job's environment (shell, docker) and opens terminals into it.
import type { ImageSpec, ServiceSpec } from "../domain/job-spec.ts";
import type { Pty } from "../domain/pty.ts";

/** A variable as the job's processes see it. `masked` values are hidden from the log by the runner. */
export interface JobVariable {
  key: string;
  value: string;
  masked: boolean;
}

/** Everything an executor needs to know about the job it runs. */
export interface JobEnvironment {
  jobId: number;
  pipelineId: number;
  runnerId: number;
  /** Host path of the job's sources (already fetched by the runner); the job's working directory. */
  projectDir: string;
  /** Host path of the builds root (`CI_BUILDS_DIR`). */
  buildsDir: string;
  /** All variables, expanded, predefined ones included (CI_PROJECT_DIR etc. as the job sees them). */
  variables: JobVariable[];
  image?: ImageSpec;
  services: ServiceSpec[];
  /**
   * For a job being debugged: a host folder the runner made, which the executor shows at the same path inside the
   * job's environment, writable by the job (breakpoints and the saved shell state live there). A terminal starts
   * by reading `<controlDir>/state.sh` when it exists (the variables and directory of the script's shell).
   */
  controlDir?: string;
}

/** One script to run: the runner builds the shell text (echoes, `set -eo pipefail`, the commands). */
export interface Step {
  name: "step_script" | "after_script";
  /** A POSIX shell script (bash and busybox sh both run it). */
  script: string;
}

/** Where the executor writes what the job prints (stdout and stderr interleaved) and its own notices. */
export interface OutputSink {
  /** Raw bytes from the job's processes. */
  write(bytes: Uint8Array): void;
  /** A line from the executor itself (e.g. `Using docker image …`), written to the log as-is plus a newline. */
  info(line: string): void;
}

/**
 * A failure of the executor or the environment, not of the user's script (GitLab's `runner_system_failure`,
 * `image_pull_failure`). The runner logs `message` as `ERROR: Job failed: <message>`.
 */
export class SystemFailure extends Error {
  constructor(
    message: string,
    readonly reason: "runner_system_failure" | "image_pull_failure" = "runner_system_failure",
  ) {
    super(message);
    this.name = "SystemFailure";
  }
}

/**
 * One job's environment. Call order, made by the runner:
 *   prepare() once → run(step) for step_script, then maybe after_script → cleanup() once.
 * `openTerminal` may be called any time after prepare() resolved and before cleanup() starts, any number of times.
 * `cleanup()` always runs, also when prepare() threw or the job was canceled, and is safe to call twice; it ends
 * every process (and container) the job and its terminals started.
 * A script that fails is an exit code from run(); an executor that fails throws `SystemFailure`.
 */
export interface Executor {
  /** Create the environment (a container, a process group's home). Output goes to the job log. */
  prepare(out: OutputSink, signal: AbortSignal): Promise<void>;
  /**
   * Run one step to its end and return its exit code. When `signal` aborts (cancel, timeout) the step's whole
   * process tree is killed and run() resolves promptly (with 137 or the code the kill produced).
   */
  run(step: Step, out: OutputSink, signal: AbortSignal): Promise<number>;
  /** A terminal in the same environment: same directory, same variables (none of the server's own). */
  openTerminal?(size: { cols: number; rows: number }): Promise<Pty>;
  cleanup(): Promise<void>;
}

/** Makes executors for jobs; one per kind of executor per process. */
export interface ExecutorProvider {
  readonly name: string;
  create(env: JobEnvironment): Executor;
  /** At start: remove what a crashed run left behind (processes, containers). Returns what it removed. */
  sweep?(): Promise<string[]>;
  /**
   * After sweep(), before taking jobs: starts a watchdog that removes what the jobs leave if the server dies without
   * cleaning up (kill -9). release() is called once the runner has stopped.
   */
  guard?(): { pid: number; release(): Promise<void> };
  /** For the start-up lines: what the executor reached (for Docker, the engine's version and address). */
  describe?(): Promise<string>;
}
