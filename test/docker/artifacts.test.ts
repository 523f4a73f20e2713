// Artifacts on the Docker executor: the same flow as on the shell executor, with links made inside a container.
import { afterAll, beforeAll, describe, test } from "bun:test";
import { expectArtifactFlow, runArtifactPipeline } from "../support/artifact-flow.ts";
import { noDocker } from "../support/docker-engine.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

describe.skipIf(noDocker)("artifacts on the Docker executor", () => {
  let t: TestPorthole;
  beforeAll(async () => {
    t = await startTestPorthole({
      runner: { executor: "docker", concurrent: 2 },
      docker: { default_image: "porthole-test/busybox" },
    });
  });
  afterAll(() => t?.stop());

  test("a build job's artifacts reach later jobs and download byte-identical", async () => {
    await expectArtifactFlow(t, await runArtifactPipeline(t, "artifacts-docker"));
  }, 180_000);
});
