// The runner with the real shell executor against an in-memory coordinator: log format, results, masking, limits.
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JobPayload, PayloadVariable, TerminalBroker, TerminalTarget } from "../domain/coordinator.ts";
import { createShellExecutorProvider } from "../executor/shell/index.ts";
import { processesWithEnv } from "../executor/shell/tagged-processes.ts";
import { createMemoryCoordinator, makeJob } from "./runner.testing.ts";
import { createRunner, noTerminalBroker } from "./runner.ts";

const started: { stop(): Promise<void>; dir: string }[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) {
    await s.stop();
    await rm(s.dir, { recursive: true, force: true });
  }
});

async function startRunner(opts: { concurrent?: number; broker?: TerminalBroker; isolation?: "none" } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "porthole-runner-"));
  const coordinator = createMemoryCoordinator();
  const runner = createRunner({
    coordinator,
    executors: createShellExecutorProvider({ isolation: opts.isolation }),
    broker: opts.broker ?? noTerminalBroker,
    info: { id: 7, name: "test-runner", tags: [], runUntagged: true },
    buildsDir: join(dir, "builds"),
    concurrent: opts.concurrent ?? 1,
    version: "9.9.9",
  });
  runner.start();
  started.push({ stop: () => runner.stop(), dir });
  const run = async (job: JobPayload) => {
    coordinator.enqueue(job);
    const result = await coordinator.result(job.id);
    expect(coordinator.orderViolations).toEqual([]);
    return { result, trace: coordinator.trace(job.id) };
  };
  return { coordinator, runner, buildsDir: join(dir, "builds"), run };
}

const variable = (key: string, value: string, masked = false): PayloadVariable => ({ key, value, masked, raw: false });
const E = "\x1b";
/** Waits (polling, with a generous deadline) until the job's trace contains `text`. */
async function traceShows(coordinator: ReturnType<typeof createMemoryCoordinator>, jobId: number, text: string) {
  for (const until = Date.now() + 15_000; Date.now() < until; await Bun.sleep(20)) {
    if (coordinator.trace(jobId).includes(text)) return;
  }
  throw new Error(`the trace never showed ${JSON.stringify(text)}: ${coordinator.trace(jobId)}`);
}

describe("runner", () => {
  test("a successful job's log reads like GitLab's, section by section", async () => {
    const { run, buildsDir } = await startRunner();
    const { result, trace } = await run(
      makeJob(1, {
        beforeScript: ["echo before"],
        script: ['echo "dir=$CI_PROJECT_DIR builds=$CI_BUILDS_DIR"', "printf 'a\\nb\\n'\necho multi"],
        afterScript: ["echo after=$CI_JOB_STATUS"],
      }),
    );
    expect(result).toEqual({ status: "success" });
    const projectDir = join(buildsDir, "0", "group", "project");
    const section = (kind: "start" | "end", name: string) => `section_${kind}:\\d+:${name}\\r${E}\\[0K`;
    const expected = [
      `^${E}\\[0K${E}\\[36;1mRunning with porthole 9\\.9\\.9${E}\\[0;m\n`,
      `${E}\\[0K  on test-runner 7${E}\\[0;m\n`,
      section("start", "prepare_executor"),
      `${E}\\[0K${E}\\[36;1mPreparing the "shell" executor${E}\\[0;m\n`,
      `Using Shell \\(bash\\) executor\\.\\.\\.\n[^]*`,
      section("end", "prepare_executor"),
      section("start", "get_sources"),
      `[^]*Skipping Git repository setup[^]*`,
      section("end", "get_sources"),
      section("start", "step_script"),
      `${E}\\[0K${E}\\[36;1mExecuting "step_script" stage of the job script${E}\\[0;m\n`,
      `${E}\\[32;1m\\$ echo before${E}\\[0;m\nbefore\n`,
      `${E}\\[32;1m\\$ echo "dir=\\$CI_PROJECT_DIR builds=\\$CI_BUILDS_DIR"${E}\\[0;m\ndir=${projectDir} builds=${buildsDir}\n`,
      `${E}\\[32;1m\\$ printf 'a\\\\nb\\\\n' # collapsed multi-line command${E}\\[0;m\na\nb\nmulti\n`,
      section("end", "step_script"),
      section("start", "after_script"),
      `[^]*Running after script\\.\\.\\.[^]*`,
      `after=success\n`,
      section("end", "after_script"),
      section("start", "cleanup_file_variables"),
      `[^]*`,
      section("end", "cleanup_file_variables"),
      `${E}\\[32;1mJob succeeded${E}\\[0;m\n$`,
    ];
    expect(trace).toMatch(new RegExp(expected.join("")));
  });

  test("a failing script: its exit code, after_script with status failed whose own failure changes nothing", async () => {
    const { run } = await startRunner();
    const { result, trace } = await run(
      makeJob(2, {
        script: ["echo start", "exit 3", "echo not-reached"],
        afterScript: ["echo after=$CI_JOB_STATUS", "exit 5"],
      }),
    );
    expect(result).toEqual({ status: "failed", failureReason: "script_failure", exitCode: 3 });
    expect(trace).not.toContain("\nnot-reached");
    expect(trace).toContain("after=failed\n");
    expect(trace).toContain(
      `${E}[0;33mWARNING: after_script failed, but job will continue unaffected: exit code 5${E}[0;m\n`,
    );
    expect(trace.endsWith(`${E}[31;1mERROR: Job failed: exit code 3${E}[0;m\n`)).toBe(true);
  });

  test("masked values never reach the log, also when printed in pieces; short ones are reported", async () => {
    const { run } = await startRunner();
    const secret = "hunter2-correct-horse";
    const { result, trace } = await run(
      makeJob(3, {
        script: [
          'echo "whole: $SECRET"',
          "printf 'split: hunter2-'; sleep 0.1; printf 'correct-'; sleep 0.1; printf 'horse\\n'",
          'echo "short: $SHORT token: $CI_JOB_TOKEN"',
        ],
        variables: [
          variable("SECRET", secret, true),
          variable("SHORT", "tiny", true),
          variable("CI_JOB_TOKEN", "glcbt-test-token-3", true),
        ],
      }),
    );
    expect(result.status).toBe("success");
    expect(trace).not.toContain(secret);
    expect(trace).toContain("whole: [MASKED]\n");
    expect(trace).toContain("split: [MASKED]\n");
    expect(trace).toContain("short: tiny token: [MASKED]\n");
    expect(trace).toContain("WARNING: variable SHORT is shorter than 8 characters and cannot be masked");
  });

  test("a job that runs past its timeout fails with job_execution_timeout and skips after_script", async () => {
    const { run } = await startRunner();
    const { result, trace } = await run(
      makeJob(4, {
        timeoutSeconds: 1,
        script: ["sleep 30"],
        afterScript: ["echo after-ran"],
      }),
    );
    expect(result).toEqual({ status: "failed", failureReason: "job_execution_timeout" });
    expect(trace).not.toContain("after_script");
    expect(trace).toContain(`${E}[31;1mERROR: Job failed: execution took longer than 1s seconds${E}[0;m\n`);
  });

  test("a canceled job: its processes are gone, after_script runs with status canceled, the result is canceled", async () => {
    const { coordinator } = await startRunner();
    const marker = crypto.randomUUID();
    coordinator.enqueue(
      makeJob(5, {
        script: ["sleep 301 &", "echo started", "sleep 302"],
        afterScript: ["echo after=$CI_JOB_STATUS"],
        variables: [variable("MARKER", marker)],
      }),
    );
    await traceShows(coordinator, 5, "\nstarted\n");
    coordinator.cancel(5);
    expect(await coordinator.result(5)).toEqual({ status: "canceled" });
    expect(await processesWithEnv(`MARKER=${marker}`)).toEqual([]);
    const trace = coordinator.trace(5);
    expect(trace).toContain("after=canceled\n");
    expect(trace.endsWith(`${E}[31;1mERROR: Job failed: canceled${E}[0;m\n`)).toBe(true);
  });

  test("stop() cancels running jobs, reports them, and resolves", async () => {
    const { coordinator, runner } = await startRunner();
    coordinator.enqueue(makeJob(6, { script: ["echo started", "sleep 300"] }));
    await traceShows(coordinator, 6, "\nstarted\n");
    await runner.stop();
    expect(await coordinator.result(6)).toEqual({ status: "canceled" });
    expect(coordinator.trace(6)).toContain("ERROR: Job failed: canceled: the runner is shutting down");
  });

  test("concurrent slots run jobs at the same time, each in its own build directory", async () => {
    // On the host: sandboxed jobs cannot see each other's files, which is how these two meet.
    const { coordinator, buildsDir } = await startRunner({ concurrent: 2, isolation: "none" });
    const barrier = join(buildsDir, "barrier");
    // Each job waits for the other's file: only two jobs running at once can both finish.
    const job = (id: number, mine: string, theirs: string) =>
      makeJob(id, {
        script: [
          `touch ${barrier}-${mine}`,
          `while [ ! -e ${barrier}-${theirs} ]; do sleep 0.05; done`,
          "echo slot=$CI_CONCURRENT_ID dir=$CI_PROJECT_DIR",
        ],
      });
    coordinator.enqueue(job(10, "a", "b"));
    coordinator.enqueue(job(11, "b", "a"));
    expect(await coordinator.result(10)).toEqual({ status: "success" });
    expect(await coordinator.result(11)).toEqual({ status: "success" });
    const slots = [coordinator.trace(10), coordinator.trace(11)].map((t) => t.match(/slot=(\d) dir=(\S+)/)!.slice(1));
    expect(slots.map(([slot]) => slot).sort()).toEqual(["0", "1"]);
    for (const [slot, dir] of slots) expect(dir).toBe(join(buildsDir, slot!, "group", "project"));
  });

  test("a project path that would leave the builds directory is a system failure", async () => {
    const { run } = await startRunner();
    const { result, trace } = await run(makeJob(12, { projectPath: "group/../../etc" }));
    expect(result).toEqual({ status: "failed", failureReason: "runner_system_failure" });
    expect(trace).toContain("ERROR: Job failed: invalid project path");
  });

  test("terminal: offered after prepare, held after after_script, withdrawn before cleanup; its shell is the job's", async () => {
    const events: string[] = [];
    let target: TerminalTarget | null = null;
    let seen = "";
    const broker: TerminalBroker = {
      offer: (t) => {
        events.push(`offer:${t.jobId}`);
        target = t;
      },
      async hold(jobId, log) {
        events.push(`hold:${jobId}`);
        const pty = await target!.open({ cols: 80, rows: 24 });
        pty.onData((bytes) => (seen += Buffer.from(bytes).toString()));
        pty.write('echo "job=$CI_JOB_ID in $(pwd)"\r');
        for (const until = Date.now() + 10_000; !seen.includes("job=20 in /") && Date.now() < until; )
          await Bun.sleep(20);
        log("Terminal is connected, will time out in 30m0s...");
        await pty.close();
      },
      withdraw: (jobId, reason) => void events.push(`withdraw:${jobId}:${reason}`),
    };
    const { run, buildsDir } = await startRunner({ broker });
    const { result, trace } = await run(
      makeJob(20, {
        script: ["echo script-done"],
        afterScript: ["echo after-done"],
        variables: [variable("CI_JOB_ID", "20")],
      }),
    );
    expect(result).toEqual({ status: "success" });
    expect(events).toEqual(["offer:20", "hold:20", "withdraw:20:job_finished"]);
    expect(seen).toContain(`job=20 in ${join(buildsDir, "0", "group", "project")}`);
    const order = ["\nafter-done\n", "Terminal is connected", "cleanup_file_variables"].map((s) => trace.indexOf(s));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
  });

  test("a cancel while a terminal holds the job ends the hold and the job as canceled", async () => {
    const events: string[] = [];
    const broker: TerminalBroker = {
      offer: () => {},
      hold: (_jobId, _log, signal) => {
        events.push("hold");
        return new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
      },
      withdraw: (_jobId, reason) => void events.push(`withdraw:${reason}`),
    };
    const { coordinator } = await startRunner({ broker });
    coordinator.enqueue(makeJob(21, { script: ["echo done"] }));
    for (const until = Date.now() + 10_000; !events.includes("hold") && Date.now() < until; ) await Bun.sleep(20);
    coordinator.cancel(21);
    expect(await coordinator.result(21)).toEqual({ status: "canceled" });
    expect(events).toEqual(["hold", "withdraw:canceled"]);
  });

  test("a cancel during after_script ends it and the job as canceled", async () => {
    const { coordinator } = await startRunner();
    coordinator.enqueue(makeJob(22, { script: ["true"], afterScript: ["echo after-started", "sleep 300"] }));
    await traceShows(coordinator, 22, "\nafter-started\n");
    coordinator.cancel(22);
    expect(await coordinator.result(22)).toEqual({ status: "canceled" });
  });
});
