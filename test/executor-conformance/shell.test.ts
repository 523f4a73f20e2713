// The executor conformance suite against the shell executor (needs only bash; never skipped).
import { createShellExecutorProvider } from "../../src/executor/shell/index.ts";
import { processesWithEnv } from "../../src/executor/shell/tagged-processes.ts";
import { executorConformanceSuite } from "./suite.ts";

await executorConformanceSuite("shell", async () => createShellExecutorProvider(), {
  processesOf: async (marker) => (await processesWithEnv(`${marker.key}=${marker.value}\0`)).map((p) => `pid ${p.pid}`),
  requireVariable: "PORTHOLE_REQUIRE_SHELL",
});
