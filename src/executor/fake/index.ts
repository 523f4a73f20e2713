// A test executor steered by the job's variables: no processes, no files; for scheduler and queue tests.
import { type ExecutorProvider, type JobEnvironment, SystemFailure } from "../types.ts";

/**
 * The job's variables decide what happens:
 * - `FAKE_SYSTEM_FAILURE=<message>`: prepare() throws SystemFailure(message).
 * - `FAKE_OUTPUT=<text>`: step_script writes the text to the log.
 * - `FAKE_SLEEP_MS=<n>`: step_script takes n ms (an abort ends it at once with 137).
 * - `FAKE_EXIT_CODE=<n>`: step_script's exit code (default 0).
 * after_script always exits 0 without output.
 */
export function createFakeExecutorProvider(): ExecutorProvider {
  return {
    name: "fake",
    create(env: JobEnvironment) {
      const vars = new Map(env.variables.map((v) => [v.key, v.value]));
      const number = (key: string) => {
        const n = Number(vars.get(key) ?? "0");
        if (!Number.isInteger(n) || n < 0) throw new SystemFailure(`fake executor: ${key} must be a whole number >= 0`);
        return n;
      };
      return {
        async prepare(out) {
          out.info("Using the fake executor (no processes)");
          const failure = vars.get("FAKE_SYSTEM_FAILURE");
          if (failure) throw new SystemFailure(failure);
        },
        async run(step, out, signal) {
          if (step.name !== "step_script") return 0;
          const output = vars.get("FAKE_OUTPUT");
          if (output) out.write(new TextEncoder().encode(output));
          if (!(await sleepUnlessAborted(number("FAKE_SLEEP_MS"), signal))) return 137;
          return number("FAKE_EXIT_CODE");
        },
        async cleanup() {},
      };
    },
  };
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
