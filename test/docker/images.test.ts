// Pull policy, missing images and allowed_images: each failure is one clear line with GitLab's failure reason.
import { afterAll, describe, expect, test } from "bun:test";
import { SystemFailure } from "../../src/executor/types.ts";
import { docker, noDocker, ofJob } from "../support/docker-engine.ts";
import { makeJob, never, testProvider } from "../support/docker-job.ts";
import { captureSink } from "../support/sink.ts";

const disposals: (() => void)[] = [];
afterAll(() => {
  for (const dispose of disposals) dispose();
});

async function prepareFailure(settings: Parameters<typeof testProvider>[0], over: Parameters<typeof makeJob>[0]) {
  const made = makeJob(over);
  disposals.push(made.dispose);
  const { provider, scope } = testProvider(settings);
  const executor = provider.create(made.env);
  const out = captureSink();
  const failure = await executor.prepare(out, never()).then(
    () => undefined,
    (e) => e,
  );
  await executor.cleanup();
  const byJob = ofJob(scope!, made.env.jobId);
  expect(await docker!.listContainers({ all: true, ...byJob })).toHaveLength(0);
  expect(await docker!.listNetworks(byJob)).toHaveLength(0);
  return { failure, log: out.text() };
}

describe.skipIf(noDocker)("docker executor: images", () => {
  for (const policy of ["if-not-present", "always"] as const) {
    test(`a missing image that cannot be pulled (${policy}) fails with image_pull_failure`, async () => {
      const { failure, log } = await prepareFailure(
        { pull_policy: policy },
        { image: { name: "porthole-test/does-not-exist:1" } },
      );
      expect(failure).toBeInstanceOf(SystemFailure);
      expect(failure.reason).toBe("image_pull_failure");
      expect(failure.message).toStartWith(
        `failed to pull image "porthole-test/does-not-exist:1" with specified policies [${policy}]: `,
      );
      expect(log).toContain("Pulling docker image porthole-test/does-not-exist:1 ...");
    }, 60_000);
  }

  test("pull_policy never: a missing image is not pulled", async () => {
    const { failure, log } = await prepareFailure(
      { pull_policy: "never" },
      { image: { name: "porthole-test/does-not-exist" } },
    );
    expect(failure.reason).toBe("image_pull_failure");
    expect(failure.message).toBe(
      'failed to pull image "porthole-test/does-not-exist" with specified policies [never]: the image is not present locally and the pull policy does not allow pulling',
    );
    expect(log).not.toContain("Pulling");
  }, 60_000);

  test("a missing service image fails the same way, and the started parts are removed", async () => {
    const { failure } = await prepareFailure(
      {},
      { services: [{ name: "porthole-test/no-such-service", variables: [] }] },
    );
    expect(failure.reason).toBe("image_pull_failure");
    expect(failure.message).toContain('failed to pull image "porthole-test/no-such-service"');
  }, 60_000);

  test("images and services outside allowed_images are refused before anything starts", async () => {
    const settings = { allowed_images: ["porthole-test/busy*"] };
    const image = await prepareFailure(settings, { image: { name: "porthole-test/httpd" } });
    expect(image.failure).toBeInstanceOf(SystemFailure);
    expect(image.failure.message).toBe(
      'the "porthole-test/httpd" image is not allowed by [docker] allowed_images: porthole-test/busy*',
    );
    const service = await prepareFailure(settings, { services: [{ name: "porthole-test/httpd", variables: [] }] });
    expect(service.failure.message).toContain('the "porthole-test/httpd" image is not allowed');
    const allowed = await prepareFailure(settings, { image: { name: "porthole-test/busybox" } });
    expect(allowed.failure).toBeUndefined();
  }, 60_000);

  test("an engine that does not answer is a system failure naming the address", async () => {
    const { failure } = await prepareFailure({ host: "unix:///nonexistent/docker.sock" }, {});
    expect(failure).toBeInstanceOf(SystemFailure);
    expect(failure.reason).toBe("runner_system_failure");
    expect(failure.message).toStartWith("cannot reach the Docker engine at unix:///nonexistent/docker.sock: ");
  }, 60_000);
});
