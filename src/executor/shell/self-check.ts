// Proves at start that the shell executor's sandbox can be made here, by running one trivial job in it.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExecutorProvider } from "../types.ts";

/** Runs `true` in a throwaway job; throws with the sandbox's own words when that fails. */
export async function checkShellSandbox(provider: ExecutorProvider): Promise<void> {
  const buildsDir = await mkdtemp(join(tmpdir(), "porthole-sandbox-check-"));
  const projectDir = join(buildsDir, "0", "check", "sandbox");
  await mkdir(projectDir, { recursive: true });
  const env = { jobId: 0, pipelineId: 0, runnerId: 0, projectDir, buildsDir, variables: [], services: [] };
  const executor = provider.create(env);
  const chunks: Buffer[] = [];
  const sink = { write: (bytes: Uint8Array) => void chunks.push(Buffer.from(bytes)), info: () => {} };
  try {
    await executor.prepare(sink, new AbortController().signal);
    const code = await executor.run({ name: "step_script", script: "true" }, sink, new AbortController().signal);
    if (code !== 0)
      throw new Error(`a trivial job failed in it with exit code ${code}: ${Buffer.concat(chunks).toString().trim()}`);
  } finally {
    await executor.cleanup();
    await rm(buildsDir, { recursive: true, force: true });
  }
}
