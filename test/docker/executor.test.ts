// The Docker executor runs a job's steps in a real container: sources, variables, exit codes, output, cleanup.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { SystemFailure } from "../../src/executor/types.ts";
import { docker, noDocker, ofJob } from "../support/docker-engine.ts";
import { makeJob, never, testProvider } from "../support/docker-job.ts";
import { captureSink } from "../support/sink.ts";

const { provider, scope } = testProvider();
const disposals: (() => void)[] = [];
afterAll(() => {
  for (const dispose of disposals) dispose();
});

function job(...args: Parameters<typeof makeJob>) {
  const made = makeJob(...args);
  disposals.push(made.dispose);
  return made.env;
}

async function jobContainers(jobId: number) {
  return docker!.listContainers({ all: true, ...ofJob(scope!, jobId) });
}

describe.skipIf(noDocker)("docker executor: steps", () => {
  test("a step runs in the image with the sources, the variables and its own hostname", async () => {
    const env = job({ image: { name: "porthole-test/busybox" } }, { GREETING: "hello  spaced\nsecond line" });
    const executor = provider.create(env);
    const out = captureSink();
    try {
      await executor.prepare(out, never());
      const script =
        'set -e\npwd\ncat README.md\necho "$GREETING"\necho "job=$CI_JOB_ID"\nhostname\necho to-stderr >&2\necho after-stderr\n';
      const code = await executor.run({ name: "step_script", script }, out, never());
      expect(code).toBe(0);
      const log = out.text();
      expect(log).toContain("Using Docker executor with image porthole-test/busybox ...");
      expect(log).toContain('Using locally found image version due to "if-not-present" pull policy');
      expect(log).toContain(
        `${env.projectDir}\nhello from the sources\nhello  spaced\nsecond line\njob=${env.jobId}\n`,
      );
      const containerHost = log.split(`job=${env.jobId}\n`)[1]!.split("\n")[0]!;
      expect(containerHost).not.toBe(hostname());
      expect(containerHost.length).toBeGreaterThan(0);
      expect(log).toContain("to-stderr\nafter-stderr\n");
    } finally {
      await executor.cleanup();
    }
  }, 60_000);

  test("exit codes come back; after_script runs in the same container; files written reach the host", async () => {
    const env = job();
    const executor = provider.create(env);
    const out = captureSink();
    try {
      await executor.prepare(out, never());
      expect(out.text()).toContain("with image porthole-test/busybox"); // default_image
      expect(
        await executor.run(
          { name: "step_script", script: "echo state > /tmp/marker\necho built > out.txt\nexit 3\n" },
          out,
          never(),
        ),
      ).toBe(3);
      expect(await executor.run({ name: "after_script", script: "cat /tmp/marker\n" }, out, never())).toBe(0);
      expect(out.text()).toContain("state\n");
      expect(await Bun.file(`${env.projectDir}/out.txt`).text()).toBe("built\n");
    } finally {
      await executor.cleanup();
    }
  }, 60_000);

  test("a command that reads stdin does not eat the rest of the script", async () => {
    const executor = provider.create(job());
    const out = captureSink();
    try {
      await executor.prepare(out, never());
      expect(
        await executor.run(
          { name: "step_script", script: "cat\nread line || echo no-input\necho still-here\n" },
          out,
          never(),
        ),
      ).toBe(0);
      expect(out.text()).toContain("no-input\nstill-here\n");
    } finally {
      await executor.cleanup();
    }
  }, 60_000);

  test("bash runs the script when the image has it", async () => {
    const executor = provider.create(job({ image: { name: "porthole-test/bash" } }));
    const out = captureSink();
    try {
      await executor.prepare(out, never());
      await executor.run({ name: "step_script", script: 'echo "shell=$PORTHOLE_TEST_SHELL"\n' }, out, never());
      expect(out.text()).toContain("shell=bash\n");
    } finally {
      await executor.cleanup();
    }
  }, 60_000);

  test("an image entrypoint is honoured, and `entrypoint: []` clears it", async () => {
    const refusing = provider.create(job({ image: { name: "porthole-test/entrypoint" } }));
    try {
      await refusing.prepare(captureSink(), never());
      const failure = await refusing
        .run({ name: "step_script", script: "echo hi\n" }, captureSink(), never())
        .catch((e) => e);
      expect(failure).toBeInstanceOf(SystemFailure);
      expect(failure.message).toContain("the job's container stopped (exit code 3)");
      expect(failure.message).toContain("entrypoint refuses");
    } finally {
      await refusing.cleanup();
    }
    const cleared = provider.create(job({ image: { name: "porthole-test/entrypoint", entrypoint: [] } }));
    const out = captureSink();
    try {
      await cleared.prepare(out, never());
      expect(await cleared.run({ name: "step_script", script: "echo ran\n" }, out, never())).toBe(0);
      expect(out.text()).toContain("ran\n");
    } finally {
      await cleared.cleanup();
    }
  }, 60_000);

  test("a script the engine cannot start is a system failure, not exit code 126", async () => {
    const env = job();
    const executor = provider.create(env);
    try {
      await executor.prepare(captureSink(), never());
      expect(await executor.run({ name: "step_script", script: "true\n" }, captureSink(), never())).toBe(0);
      // Replacing (not emptying) the project dir once the container runs detaches its bind mount from it.
      rmSync(env.projectDir, { recursive: true });
      mkdirSync(env.projectDir);
      const out = captureSink();
      const failure = await executor.run({ name: "step_script", script: "echo hi\n" }, out, never()).catch((e) => e);
      expect(failure).toBeInstanceOf(SystemFailure);
      expect(failure.message).toBe(
        "the engine could not start the script in the job's container (its message is above)",
      );
      expect(out.text()).toContain("OCI runtime exec failed");
    } finally {
      await executor.cleanup();
    }
  }, 60_000);

  test("cleanup removes the container, is safe twice, and is safe without prepare", async () => {
    const env = job();
    const executor = provider.create(env);
    await executor.prepare(captureSink(), never());
    expect(await jobContainers(env.jobId)).toHaveLength(1);
    await executor.cleanup();
    await executor.cleanup();
    expect(await jobContainers(env.jobId)).toHaveLength(0);
    await provider.create(job()).cleanup();
  }, 60_000);
});
