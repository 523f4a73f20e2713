// Debug on failure, Retry with terminal and Continue on the Docker executor (a real engine, a busybox container).
import { afterAll, beforeAll, describe, setDefaultTimeout, test } from "bun:test";
import {
  continueEndsTheWait,
  failedScriptKeepsItsEnvironment,
  failureBreakpointWaitsForContinue,
  retryPausesAtBreakpoint,
  unattendedWaitEnds,
} from "../support/debug-scenarios.ts";
import { noDocker } from "../support/docker-engine.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

setDefaultTimeout(90_000);

const IMAGE = "  image: porthole-test/busybox\n";

let t: TestPorthole;
beforeAll(async () => {
  if (!noDocker)
    t = await startTestPorthole({ runner: { executor: "docker", concurrent: 2 }, docker: { pull_policy: "never" } });
});
afterAll(() => t?.stop());

describe.skipIf(noDocker)("debugging a Docker job", () => {
  test("a failed script keeps its container for a terminal, then the job fails as it did", () =>
    failedScriptKeepsItsEnvironment(t, IMAGE));
  test("nobody attaches: the job fails once the wait passes", () => unattendedWaitEnds(t, IMAGE));
  test("a retry with a breakpoint before script pauses, gets a terminal, and goes on at Continue", () =>
    retryPausesAtBreakpoint(t, IMAGE));
  test("Continue ends a failed script's wait at once", () => continueEndsTheWait(t, IMAGE));
  test("a retry with the on_failure breakpoint waits for Continue, terminal or not", () =>
    failureBreakpointWaitsForContinue(t, IMAGE));
});
