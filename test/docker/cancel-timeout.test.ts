// Cancel and timeout (the abort signal) kill a Docker step's processes at once; cleanup then removes the container.
import { afterAll, describe, expect, test } from "bun:test";
import { docker, noDocker, ofJob } from "../support/docker-engine.ts";
import { makeJob, never, testProvider } from "../support/docker-job.ts";
import { captureSink } from "../support/sink.ts";

const { provider, scope } = testProvider();
const disposals: (() => void)[] = [];
afterAll(() => {
  for (const dispose of disposals) dispose();
});

async function containers(jobId: number) {
  return (await docker!.listContainers({ all: true, ...ofJob(scope!, jobId) })).length;
}

describe.skipIf(noDocker)("docker executor: cancel and timeout", () => {
  for (const kind of ["cancel", "timeout"] as const) {
    test(`${kind}: run() resolves 137, the step's processes are gone, cleanup removes the container`, async () => {
      const made = makeJob();
      disposals.push(made.dispose);
      const { env } = made;
      const executor = provider.create(env);
      try {
        await executor.prepare(captureSink(), never());
        const out = captureSink();
        const controller = new AbortController();
        const signal = kind === "timeout" ? AbortSignal.timeout(1000) : controller.signal;
        const running = executor.run(
          {
            name: "step_script",
            script: "setsid sleep 3030 &\nsleep 3131 &\necho started\nsleep 3232\necho not-reached\n",
          },
          out,
          signal,
        );
        if (kind === "cancel") {
          while (!out.text().includes("started")) await Bun.sleep(20);
          controller.abort();
        }
        expect(await running).toBe(137);
        expect(out.text()).not.toContain("not-reached");

        // The container stays for after_script (GitLab runs it after a cancel); the step's processes do not.
        const after = captureSink();
        expect(await executor.run({ name: "after_script", script: "ps -o args\n" }, after, never())).toBe(0);
        expect(after.text()).not.toContain("sleep 3030"); // left the step's session, still found by its marker
        expect(after.text()).not.toContain("sleep 3131");
        expect(after.text()).not.toContain("sleep 3232");

        await executor.cleanup();
        expect(await containers(env.jobId)).toBe(0);
      } finally {
        await executor.cleanup();
      }
    }, 60_000);
  }

  test("a step aborted before it starts does not run", async () => {
    const made = makeJob();
    disposals.push(made.dispose);
    const executor = provider.create(made.env);
    try {
      await executor.prepare(captureSink(), never());
      const out = captureSink();
      expect(await executor.run({ name: "step_script", script: "echo ran\n" }, out, AbortSignal.abort())).toBe(137);
      expect(out.text()).toBe("");
    } finally {
      await executor.cleanup();
    }
  }, 60_000);

  test("a cancel that comes while the step is being started still ends it at once", async () => {
    // The step's exec is created and attached over several engine calls; a cancel during any of them must not wait
    // for the script (sleep 300) to finish. Cancelling after 0, 2, 4… ms covers the whole start-up window.
    const made = makeJob();
    disposals.push(made.dispose);
    const started = async () => {
      const executor = provider.create(made.env);
      await executor.prepare(captureSink(), never());
      return executor;
    };
    // A step that answers 0 shows the container still runs; a cancel whose kill came before the step's processes
    // existed ends the step by killing the container, and the next delay then needs a new one.
    const usable = (executor: Awaited<ReturnType<typeof started>>) =>
      executor.run({ name: "step_script", script: "true\n" }, captureSink(), never()).then(
        (code) => code === 0,
        () => false,
      );
    let executor = await started();
    try {
      const late: number[] = [];
      for (let delay = 0; delay <= 60; delay += 2) {
        if (!(await usable(executor))) {
          await executor.cleanup();
          executor = await started();
        }
        const controller = new AbortController();
        const running = executor.run({ name: "step_script", script: "sleep 300\n" }, captureSink(), controller.signal);
        setTimeout(() => controller.abort(), delay);
        const code = await Promise.race([running, Bun.sleep(15_000).then(() => "still running")]);
        if (code !== 137) late.push(delay);
      }
      expect({ cancelsNotEndingTheStep: late }).toEqual({ cancelsNotEndingTheStep: [] });
    } finally {
      await executor.cleanup();
    }
  }, 180_000);
});
