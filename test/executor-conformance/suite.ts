// One set of scenarios every executor must pass: exit codes, variables, errexit/pipefail, after_script, cancel, terminal, cleanup.
import { afterEach, describe, expect, test } from "bun:test";
import type { ImageSpec } from "../../src/domain/job-spec.ts";
import type { ExecutorProvider, Step } from "../../src/executor/types.ts";
import { buildAfterScript, buildStepScript } from "../../src/runner/script-builder.ts";
import { createTestJob, type TestJob } from "../support/executor-harness.ts";
import { captureSink } from "../support/sink.ts";
import { eventually } from "../support/wait.ts";

export interface ConformanceOptions {
  /**
   * Descriptions of the live processes of the job whose environment has `marker` (every conformance job gets
   * a unique one). Shell: processes carrying the variable; Docker: processes in the job's containers.
   */
  processesOf(marker: { key: string; value: string }): Promise<string[]>;
  /** The environment variable that makes an unavailable executor a failure instead of a skip. */
  requireVariable: string;
  /** The image jobs run in (container executors). */
  image?: ImageSpec;
}

/** How long the suite waits for a job's processes to be gone before it fails: a failure guard, not a measurement. */
const LEFTOVER_GUARD_MS = 15_000;

/**
 * Registers the suite for `name`. `makeProvider` resolves null when the executor cannot run here (no engine):
 * then the suite is skipped with a printed reason, or fails when `opts.requireVariable` is set.
 * Call it at the top level of a test file: `await executorConformanceSuite(...)`.
 */
export async function executorConformanceSuite(
  name: string,
  makeProvider: () => Promise<ExecutorProvider | null>,
  opts: ConformanceOptions,
): Promise<void> {
  const provider = await makeProvider();
  if (!provider) {
    if (process.env[opts.requireVariable]) {
      test(`${name} executor is available`, () => {
        throw new Error(`the ${name} executor cannot run here, and ${opts.requireVariable} is set`);
      });
    } else {
      console.log(
        `SKIPPED: executor conformance "${name}": not available here (set ${opts.requireVariable} to fail instead)`,
      );
      test.skip(`${name} executor conformance (executor not available)`, () => {});
    }
    return;
  }
  const jobs: TestJob[] = [];
  const job = async (variables: Record<string, string> = {}) => {
    const j = await createTestJob(provider, variables, opts.image);
    jobs.push(j);
    await j.executor.prepare(captureSink(), new AbortController().signal);
    return j;
  };
  const step = (commands: string[]): Step => ({ name: "step_script", script: buildStepScript([], commands) });
  const run = async (j: TestJob, s: Step, signal = new AbortController().signal) => {
    const out = captureSink();
    const code = await j.executor.run(s, out, signal);
    return { code, text: out.text() };
  };
  const noProcessesLeft = (j: TestJob) =>
    eventually(async () => (await opts.processesOf(j.marker)).length === 0, LEFTOVER_GUARD_MS);

  describe(`executor conformance: ${name}`, () => {
    afterEach(async () => {
      await Promise.all(jobs.splice(0).map((j) => j.dispose()));
    });

    test("exit codes: 0 on success, the script's code on failure", async () => {
      const j = await job();
      expect((await run(j, step(["true"]))).code).toBe(0);
      expect((await run(j, step(["echo before", "exit 3"]))).code).toBe(3);
    });

    test("the job's variables reach its processes; the server's environment does not", async () => {
      process.env.PORTHOLE_CONFORMANCE_SERVER_ONLY = "server-secret";
      const value = `it's "quoted" $HOME \\ and\nnewline`;
      const j = await job({ TRICKY: value, GREETING: "hello" });
      const { code, text } = await run(
        j,
        step([
          `printf '[%s]\\n' "$TRICKY"`,
          `echo "greeting=$GREETING job=$CI_JOB_ID"`,
          `echo "server-only=\${PORTHOLE_CONFORMANCE_SERVER_ONLY:-absent}"`,
        ]),
      );
      expect(code).toBe(0);
      expect(text).toContain(`[${value}]`);
      expect(text).toContain(`greeting=hello job=${j.env.jobId}`);
      expect(text).toContain("server-only=absent");
    });

    test("commands are echoed, and stdout and stderr reach the log in the order written", async () => {
      const j = await job();
      const { text } = await run(j, step(["echo one; echo two >&2; echo three"]));
      expect(text).toContain("\x1b[32;1m$ echo one; echo two >&2; echo three\x1b[0;m\none\ntwo\nthree\n");
    });

    test("errexit: the first failing command ends the script with its code", async () => {
      const j = await job();
      const { code, text } = await run(j, step(["echo reached", "sh -c 'exit 7'", "echo not-reached"]));
      expect(code).toBe(7);
      expect(text).toContain("reached");
      expect(text).not.toContain("\nnot-reached");
    });

    test("pipefail: a failing command inside a pipe fails the script", async () => {
      const j = await job();
      const { code, text } = await run(j, step(["false | cat", "echo not-reached"]));
      expect(code).toBe(1);
      expect(text).not.toContain("\nnot-reached");
    });

    test("after_script: a fresh shell in the project dir, with CI_JOB_STATUS", async () => {
      const j = await job();
      await run(j, step(["export LEAKED=yes", "cd /", "exit 1"]));
      const after = {
        name: "after_script" as const,
        script: buildAfterScript(
          [
            `echo "leaked=\${LEAKED:-no} status=$CI_JOB_STATUS"`,
            `[ "$(pwd)" = "$CI_PROJECT_DIR" ] && echo "in-project-dir"`,
          ],
          "failed",
        ),
      };
      const { code, text } = await run(j, after);
      expect(code).toBe(0);
      expect(text).toContain("leaked=no status=failed");
      expect(text).toContain("\nin-project-dir");
    });

    for (const how of ["cancel", "timeout"] as const) {
      test(`${how}: the step's whole process tree is gone, also processes that ignore SIGTERM`, async () => {
        const j = await job();
        const controller = new AbortController();
        const signal = how === "cancel" ? controller.signal : AbortSignal.timeout(3000);
        let aborted = false;
        signal.addEventListener("abort", () => (aborted = true));
        const out = captureSink();
        const running = j.executor.run(
          step([
            `trap "" TERM`, // the script's own shell ignores SIGTERM: only a SIGKILL ends it
            `sh -c 'trap "" TERM; sleep 300' &`,
            "sleep 301 | cat &",
            "{ setsid sleep 302 2>/dev/null || sleep 302; } &",
            "echo started",
            "sleep 303",
          ]),
          out,
          signal,
        );
        expect(await eventually(() => out.text().includes("\nstarted"))).toBe(true);
        expect(await eventually(async () => (await opts.processesOf(j.marker)).length >= 4)).toBe(true);
        if (how === "cancel") controller.abort();
        const code = await running;
        expect(aborted).toBe(true);
        expect(code).not.toBe(0);
        expect(await noProcessesLeft(j)).toBe(true);
      }, 20_000);
    }

    test("terminal: a shell in the job's directory with its variables; closing it leaves no process", async () => {
      const j = await job();
      expect(j.executor.openTerminal).toBeDefined();
      const pty = await j.executor.openTerminal!({ cols: 100, rows: 30 });
      let output = "";
      pty.onData((bytes) => (output += Buffer.from(bytes).toString()));
      pty.write(`echo "id=$CI_JOB_ID"; pwd; [ "$(pwd)" = "$CI_PROJECT_DIR" ] && echo "dir-$((40 + 2))"\r`);
      const seen = await eventually(() => output.includes(`id=${j.env.jobId}`) && output.includes("dir-42"));
      expect(seen, `terminal output: ${JSON.stringify(output)}`).toBe(true);
      expect(await eventually(async () => (await opts.processesOf(j.marker)).length > 0)).toBe(true);
      await pty.close();
      await pty.close();
      expect(await noProcessesLeft(j)).toBe(true);
    });

    test("cleanup ends open terminals and leftovers, and is safe to call twice", async () => {
      const j = await job();
      const pty = await j.executor.openTerminal!({ cols: 80, rows: 24 });
      pty.write("sleep 304\r");
      expect(await eventually(async () => (await opts.processesOf(j.marker)).length >= 2)).toBe(true);
      await j.executor.cleanup();
      await j.executor.cleanup();
      expect(await noProcessesLeft(j)).toBe(true);
    });

    test("cleanup without prepare is safe (prepare may have failed)", async () => {
      const j = await createTestJob(provider, {}, opts.image);
      jobs.push(j);
      await j.executor.cleanup();
      await j.executor.cleanup();
    });
  });
}
