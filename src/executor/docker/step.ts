// Runs one step's script in the job's container with `docker exec`, streaming its output, and kills it on abort.

import type { Duplex } from "node:stream";
import { Writable } from "node:stream";
import type Dockerode from "dockerode";
import { type OutputSink, SystemFailure } from "../types.ts";
import { dockerMessage } from "./engine.ts";
import { execMarker, killExec, stepCommand } from "./in-container.ts";

/** How long each stage of stopping may take (kill the processes, then the container): worst case ~4 s in all. */
const KILL_GRACE_MS = 1300;

/**
 * Runs `script` in `container` (working directory `workingDir`, the container's environment) and resolves with its
 * exit code. Output (stdout and stderr, in order) goes to `out`. When `signal` aborts, the step's
 * processes are SIGKILLed; if it does not end promptly, the container itself is killed. Resolves 137 for an aborted step.
 * Throws `SystemFailure` when the container cannot run the step (stopped, gone, engine unreachable).
 */
export async function runStepInContainer(
  container: Dockerode.Container,
  id: string,
  script: string,
  workingDir: string,
  out: OutputSink,
  signal: AbortSignal,
): Promise<number> {
  if (signal.aborted) return 137;
  let exec: Dockerode.Exec;
  let stream: Duplex;
  try {
    exec = await container.exec({
      Cmd: stepCommand(id),
      Env: [execMarker(id)],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      WorkingDir: workingDir,
    });
    stream = (await exec.start({ hijack: true, stdin: true })) as Duplex;
  } catch (error) {
    throw new SystemFailure(`cannot run the script in the job's container: ${dockerMessage(error)}`);
  }
  const ended = streamEnd(stream);
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      out.write(chunk);
      done();
    },
  });
  container.modem.demuxStream(stream, sink, sink);
  stream.end(script);

  const stop = () => void stopStep(container, id, stream, ended);
  signal.addEventListener("abort", stop, { once: true });
  if (signal.aborted) stop(); // the cancel came while the exec was being created or attached
  try {
    await ended;
  } finally {
    signal.removeEventListener("abort", stop);
  }
  if (signal.aborted) return 137;
  return exitCode(exec);
}

function streamEnd(stream: Duplex): Promise<void> {
  return new Promise((resolve) => {
    stream.once("end", resolve);
    stream.once("close", resolve);
    stream.once("error", () => resolve());
  });
}

async function stopStep(
  container: Dockerode.Container,
  id: string,
  stream: Duplex,
  ended: Promise<void>,
): Promise<void> {
  const grace = () => Bun.sleep(KILL_GRACE_MS).then(() => false);
  const killed = await killExec(container, id, KILL_GRACE_MS);
  if (killed && (await Promise.race([ended.then(() => true), grace()]))) return;
  await Promise.race([container.kill().catch(() => {}), grace()]);
  if (!(await Promise.race([ended.then(() => true), grace()]))) stream.destroy();
}

/**
 * The exec's exit code once the engine reports it finished (it may lag the end of the stream by a moment).
 * Throws `SystemFailure` when the process never started.
 */
async function exitCode(exec: Dockerode.Exec): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    let info: Dockerode.ExecInspectInfo;
    try {
      info = await exec.inspect();
    } catch (error) {
      throw new SystemFailure(`the job's container went away during the script: ${dockerMessage(error)}`);
    }
    // Pid 0: the process never started (runc refused: a missing working directory, say); the engine's message is
    // already in the log.
    if (!info.Running && info.Pid === 0) {
      throw new SystemFailure("the engine could not start the script in the job's container (its message is above)");
    }
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    if (attempt >= 100) throw new SystemFailure("the engine did not report the script's exit code");
    await Bun.sleep(20);
  }
}
