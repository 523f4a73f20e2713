// Test support: runs `bun src/main.ts …` as a real process in a folder, with only the PORTHOLE_* variables a test gives.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processOutput } from "../shared/process-output.ts";

const MAIN = join(import.meta.dir, "../main.ts");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A new empty folder under the system temp dir. */
export function tempFolder(prefix = "porthole-cli-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The current environment minus every PORTHOLE_* variable, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env))
    if (!name.startsWith("PORTHOLE_") && value !== undefined) env[name] = value;
  return { ...env, ...extra };
}

/** Runs the porthole command line with `args` in `cwd` and waits for it to exit. */
export async function runPorthole(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  const proc = Bun.spawn([process.execPath, MAIN, ...args], {
    cwd,
    env: cleanEnv(env),
    stdout: "pipe",
    stderr: "pipe",
  });
  const { stdout, stderr, code } = await processOutput(proc);
  return { code, stdout, stderr };
}
