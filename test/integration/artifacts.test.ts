// Artifacts on the shell executor: stages, needs, dependencies: [], dotenv, the API, and paths that try to escape.
import { afterAll, beforeAll, test } from "bun:test";
import { expectArtifactFlow, runArtifactPipeline } from "../support/artifact-flow.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

let t: TestPorthole;
beforeAll(async () => {
  t = await startTestPorthole({ runner: { concurrent: 2 } });
});
afterAll(() => t?.stop());

test("a build job's artifacts reach later jobs and download byte-identical", async () => {
  await expectArtifactFlow(t, await runArtifactPipeline(t, "artifacts-shell"));
}, 120_000);
