// The executor registry: every name the config accepts makes its own provider, and only those names are accepted.
import { expect, test } from "bun:test";
import { CONFIG_KEYS } from "../config/keys.ts";
import { configSchema } from "../config/schema.ts";
import { createLogger } from "../logger.ts";
import { createExecutorProvider, EXECUTOR_NAMES } from "./registry.ts";

test("runner.executor accepts exactly the registered names", () => {
  expect(CONFIG_KEYS.find((k) => k.dotted === "runner.executor")?.values).toEqual([...EXECUTOR_NAMES]);
  const wrong = configSchema.safeParse({ runner: { executor: "fake" } });
  expect(wrong.success).toBe(false);
});

test("each name makes the provider of that name (no engine is contacted to make one)", async () => {
  const config = configSchema.parse({ data_dir: "/nonexistent/porthole" });
  for (const name of EXECUTOR_NAMES) {
    const logger = createLogger({ level: "error" });
    const provider = await createExecutorProvider(name, { config, runner: { id: 1, name: "embedded" }, logger });
    expect(provider.name).toBe(name);
  }
});
