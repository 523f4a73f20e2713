// One shell job's sandbox: a bubblewrap init that holds the namespaces; steps and terminals enter it with nsenter.
import { closeSync, createReadStream } from "node:fs";
import { chown } from "node:fs/promises";
import type { JobUser } from "./job-user.ts";
import {
  type EnterPrograms,
  enterArgv,
  SANDBOX_HOME,
  SANDBOX_PATH,
  type SandboxLayout,
  sandboxInitArgv,
} from "./sandbox-args.ts";
import { signalProcess } from "./tagged-processes.ts";

/** How long the init may take to say `ready` (it is a few milliseconds; a stuck bwrap must not hang the job). */
const READY_TIMEOUT_MS = 10_000;

export interface SandboxPrograms extends EnterPrograms {
  bwrap: string;
}

export interface JobSandbox {
  /** The argv prefix that runs a program in the sandbox as the job's user, in the project directory. */
  readonly enter: readonly string[];
  /** SIGKILLs the init: the kernel ends every process of the PID namespace with it. Safe to call twice. */
  kill(): Promise<void>;
}

/** The host pid of the sandbox's init, from bwrap's `--info-fd` JSON (`"child-pid": N`); 0 when it ends without. */
async function readInitPid(fd: number): Promise<number> {
  let text = "";
  for await (const chunk of createReadStream("", { fd })) {
    text += chunk.toString();
    const pid = /"child-pid":\s*(\d+)/.exec(text)?.[1];
    if (pid && text.includes("}")) return Number(pid);
  }
  return 0;
}

/** Reads `stream` until `line` arrives (true) or it ends (false). */
async function waitForLine(stream: ReadableStream<Uint8Array>, line: string): Promise<boolean> {
  const decoder = new TextDecoder();
  let seen = "";
  for await (const chunk of stream) {
    seen += decoder.decode(chunk, { stream: true });
    if (seen.split("\n").includes(line)) return true;
  }
  return false;
}

/**
 * Starts the sandbox of one job and resolves once it is ready to enter. Throws (with bwrap's own words) when it
 * cannot be made: no user namespaces, a missing path, bwrap refused.
 */
export async function startJobSandbox(
  programs: SandboxPrograms,
  layout: SandboxLayout,
  user: JobUser,
  serverIsRoot: boolean,
): Promise<JobSandbox> {
  const proc = Bun.spawn(sandboxInitArgv(programs.bwrap, layout, serverIsRoot), {
    env: { PATH: SANDBOX_PATH },
    stdio: ["pipe", "pipe", "pipe", "pipe"],
  });
  proc.stdin.write("ready\n"); // echoed by the init once it runs, that is once the sandbox is set up
  proc.stdin.flush();
  const infoFd = proc.stdio[3] as unknown as number;
  const stderr = new Response(proc.stderr).text();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS)));
  const ready = await Promise.race([waitForLine(proc.stdout, "ready"), proc.exited.then(() => false), timeout]);
  clearTimeout(timer);
  const initPid = ready ? await readInitPid(infoFd) : 0;
  if (!ready || !initPid) {
    if (!ready) closeSync(infoFd);
    proc.kill("SIGKILL");
    await proc.exited;
    const why = (await stderr).trim() || (ready ? "it gave no process id" : "it did not start");
    throw new Error(`could not start the job's sandbox (bubblewrap): ${why}`);
  }
  // The job's home, a tmpfs of the sandbox (root's), reached through the init's root: the job's user owns it.
  if (serverIsRoot) await chown(`/proc/${initPid}/root${SANDBOX_HOME}`, user.uid, user.gid);
  let killed: Promise<void> | null = null;
  return {
    enter: enterArgv(programs, initPid, user, serverIsRoot),
    kill() {
      killed ??= (async () => {
        signalProcess(initPid, "SIGKILL");
        proc.kill("SIGKILL");
        await proc.exited;
      })();
      return killed;
    },
  };
}
