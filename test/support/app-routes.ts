// The routes porthole's app registers, read from an app composed over a running test porthole's parts.
import { composeApp } from "../../src/http/compose.ts";
import type { TestPorthole } from "./porthole.ts";

/** Every route as method and pattern, in registration order (middleware, method ALL, left out; may repeat). */
export function appRoutes(t: TestPorthole): { method: string; path: string }[] {
  const p = t.porthole;
  const app = composeApp({
    store: p.store,
    pipelines: p.queue.service,
    traces: p.traces,
    artifacts: p.artifacts,
    events: p.queue.events,
    config: p.config,
    version: "routes",
  });
  return app.routes.filter((r) => r.method !== "ALL").map(({ method, path }) => ({ method, path }));
}
