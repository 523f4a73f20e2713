// Debug on failure, Retry with terminal and Continue on the shell executor (a real bubblewrap sandbox).
import { afterAll, beforeAll, setDefaultTimeout, test } from "bun:test";
import {
  continueEndsTheWait,
  failedScriptKeepsItsEnvironment,
  failureBreakpointWaitsForContinue,
  retryPausesAtBreakpoint,
  unattendedWaitEnds,
} from "../support/debug-scenarios.ts";
import { startTestPorthole, type TestPorthole } from "../support/porthole.ts";

setDefaultTimeout(60_000);

let t: TestPorthole;
beforeAll(async () => (t = await startTestPorthole({ runner: { concurrent: 2 } })));
afterAll(() => t?.stop());

test("a failed script keeps its environment for a terminal, then the job fails as it did", () =>
  failedScriptKeepsItsEnvironment(t, ""));
test("nobody attaches: the job fails once the wait passes", () => unattendedWaitEnds(t, ""));
test("a retry with a breakpoint before script pauses, gets a terminal, and goes on at Continue", () =>
  retryPausesAtBreakpoint(t, ""));
test("Continue ends a failed script's wait at once, for those who may open the terminal", () =>
  continueEndsTheWait(t, ""));
test("a retry with the on_failure breakpoint waits for Continue, terminal or not", () =>
  failureBreakpointWaitsForContinue(t, ""));
