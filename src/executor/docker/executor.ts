// One job in Docker: services and a long-lived build container, steps and terminals as execs, removal at cleanup.
import { chmod } from "node:fs/promises";
import type Dockerode from "dockerode";
import type { Pty } from "../../domain/pty.ts";
import { type Executor, type JobEnvironment, type OutputSink, type Step, SystemFailure } from "../types.ts";
import { createBuildContainer } from "./build-container.ts";
import { dockerMessage } from "./engine.ts";
import { ensureImage } from "./image.ts";
import { execId } from "./in-container.ts";
import { jobNetwork } from "./job-network.ts";
import { jobLabels, jobResourceName, LABEL, type RunnerIdentity } from "./labels.ts";
import { removeLabelled } from "./resources.ts";
import { containerLogs, waitForServices } from "./service-health.ts";
import { startService } from "./services.ts";
import { type ContainerLimits, type DockerSettings, imageRefusal } from "./settings.ts";
import { runStepInContainer } from "./step.ts";
import { type ContainerTerminal, openContainerTerminal } from "./terminal.ts";

export interface DockerExecutorDeps {
  engine: () => Promise<Dockerode>;
  settings: DockerSettings;
  limits: ContainerLimits;
  runner: RunnerIdentity;
  /** The engine is on this machine: services are probed by address before the script starts. */
  localEngine: boolean;
}

/**
 * See `Executor` for the call order. prepare() creates the build container and the first step or terminal starts
 * it: the runner fetches the sources in between, and no process of the job (an image's entrypoint, say) runs
 * while the host writes the project dir. The container lives until cleanup(), whatever ran in it.
 */
export class DockerExecutor implements Executor {
  private readonly name: string;
  private readonly workingDir: string;
  private readonly containerEnv: string[];
  private docker?: Dockerode;
  private container?: Dockerode.Container;
  private starting?: Promise<Dockerode.Container>;
  private execs = 0;
  private readonly terminals = new Set<ContainerTerminal>();
  private cleaning?: Promise<void>;

  constructor(
    private readonly env: JobEnvironment,
    private readonly deps: DockerExecutorDeps,
  ) {
    this.name = jobResourceName(env.jobId);
    this.workingDir = env.variables.findLast((v) => v.key === "CI_PROJECT_DIR")?.value || env.projectDir;
    this.containerEnv = env.variables.map((v) => `${v.key}=${v.value}`);
  }

  async prepare(out: OutputSink, signal: AbortSignal): Promise<void> {
    const { settings } = this.deps;
    const image = this.env.image?.name || settings.default_image;
    const refusal = imageRefusal([image, ...this.env.services.map((s) => s.name)], settings);
    if (refusal) throw new SystemFailure(refusal);
    out.info(`Using Docker executor with image ${image} ...`);
    try {
      // The image's user may be anyone: the debug control folder is writable to all, sticky (nobody removes another's
      // file); the state file in it is private to the user who wrote it.
      if (this.env.controlDir) await chmod(this.env.controlDir, 0o1777);
      const docker = await this.deps.engine();
      this.docker = docker;
      const labels = (role: "build" | "service" | "network") => jobLabels(this.deps.runner, this.env, this.name, role);
      const withServices = this.env.services.length > 0;
      const network = await jobNetwork(docker, {
        name: this.name,
        labels: labels("network"),
        networkMode: settings.network_mode,
        withServices,
      });
      const lookup = (key: string) => this.env.variables.findLast((v) => v.key === key)?.value;
      const ctx = {
        baseName: this.name,
        network: network!,
        labels: labels("service"),
        jobEnv: this.containerEnv,
        lookup,
        limits: this.deps.limits,
        pullPolicy: settings.pull_policy,
      };
      // Services and the build container start side by side; everything settles before a failure is thrown, so
      // cleanup() never races a container still being created.
      const build = this.startBuild(docker, image, network, labels("build"), out, signal);
      const services = this.env.services.map((spec, index) => startService(docker, spec, index, ctx, out, signal));
      const failed = (await Promise.allSettled([build, ...services])).find((r) => r.status === "rejected");
      if (failed) throw failed.reason;
      this.container = await build;
      if (this.deps.localEngine && network) await waitForServices(await Promise.all(services), network, out, signal);
    } catch (error) {
      if (error instanceof SystemFailure) throw error;
      if (signal.aborted) throw new SystemFailure("preparing the Docker executor was interrupted");
      throw new SystemFailure(`cannot prepare the Docker executor: ${dockerMessage(error)}`);
    }
  }

  private async startBuild(
    docker: Dockerode,
    image: string,
    network: string | undefined,
    labels: Record<string, string>,
    out: OutputSink,
    signal: AbortSignal,
  ): Promise<Dockerode.Container> {
    await ensureImage(docker, image, this.deps.settings.pull_policy, out, signal);
    signal.throwIfAborted();
    return createBuildContainer(docker, {
      name: this.name,
      image,
      entrypoint: this.env.image?.entrypoint,
      env: this.containerEnv,
      labels,
      projectDir: this.env.projectDir,
      workingDir: this.workingDir,
      controlDir: this.env.controlDir,
      limits: this.deps.limits,
      networkMode: network,
    });
  }

  async run(step: Step, out: OutputSink, signal: AbortSignal): Promise<number> {
    const container = await this.startedContainer();
    let code: number;
    try {
      code = await runStepInContainer(container, this.nextId(step.name), step.script, this.workingDir, out, signal);
    } catch (error) {
      if (error instanceof SystemFailure && !signal.aborted) throw (await this.containerStopped()) ?? error;
      throw error;
    }
    // A container that died under the script (an entrypoint that exited, the OOM killer) is not the script's failure.
    const stopped = code !== 0 && !signal.aborted ? await this.containerStopped() : undefined;
    if (stopped) throw stopped;
    return code;
  }

  async openTerminal(size: { cols: number; rows: number }): Promise<Pty> {
    const container = await this.startedContainer();
    const hasTerm = this.env.variables.some((v) => v.key === "TERM");
    const terminal = await openContainerTerminal(container, {
      id: this.nextId("terminal"),
      ...size,
      workingDir: this.workingDir,
      env: hasTerm ? [] : ["TERM=xterm-256color"],
      savedState: this.env.controlDir && `${this.env.controlDir}/state.sh`,
    });
    this.terminals.add(terminal);
    return terminal;
  }

  /**
   * Removes the job's containers (ending every step and terminal in them), volumes and network. A failure (engine
   * gone) throws `SystemFailure`; what remains carries this runner's labels, so the next start's sweep() removes it.
   */
  cleanup(): Promise<void> {
    this.cleaning ??= (async () => {
      if (!this.docker) return; // prepare() never reached the engine: nothing was created.
      for (const terminal of this.terminals) terminal.containerRemoved();
      await removeLabelled(this.docker, { [LABEL.instance]: this.name }).catch((error: unknown) => {
        throw new SystemFailure(`cannot remove the job's containers (${this.name}): ${dockerMessage(error)}`);
      });
    })();
    return this.cleaning;
  }

  /** The build container, started on the first call (after the sources are in place). */
  private startedContainer(): Promise<Dockerode.Container> {
    if (this.cleaning) throw new SystemFailure("the job's container was already removed");
    const container = this.container;
    if (!container) throw new SystemFailure("the Docker executor was not prepared");
    this.starting ??= container.start().then(
      () => container,
      (error: unknown) => {
        throw new SystemFailure(`cannot start the job's container: ${dockerMessage(error)}`);
      },
    );
    return this.starting;
  }

  private nextId(kind: string): string {
    return execId(kind, ++this.execs);
  }

  /** Why the container is not running (its exit code and last output), or undefined while it runs. */
  private async containerStopped(): Promise<SystemFailure | undefined> {
    const state = await this.container?.inspect().catch(() => undefined);
    if (!state || state.State.Running) return undefined;
    const logs = await containerLogs(this.container!);
    return new SystemFailure(
      `the job's container stopped (exit code ${state.State.ExitCode})${logs ? `; its output:\n${logs}` : ""}`,
    );
  }
}
