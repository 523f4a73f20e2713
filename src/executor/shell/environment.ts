// The environment of a shell-executor job: its variables over a minimal base; nothing else of the server's.
import type { JobVariable } from "../types.ts";
import { PROCESS_TAG } from "./tagged-processes.ts";

/**
 * The only parts of the server's environment a job sees: where programs are, whose home, the language, who
 * runs it, their shell, where temp files go. Everything else (tokens, PORTHOLE_* settings) stays out.
 */
const INHERITED = ["PATH", "HOME", "LANG", "USER", "SHELL", "TMPDIR"] as const;

function baseEnvironment(): Record<string, string> {
  const base: Record<string, string> = { PATH: "/usr/local/bin:/usr/bin:/bin" };
  for (const key of INHERITED) {
    const value = process.env[key];
    if (value !== undefined) base[key] = value;
  }
  return base;
}

/** The base, then the job's variables (a job may set PATH), then the process tag that marks the job's processes. */
export function stepEnvironment(variables: readonly JobVariable[], tag: string): Record<string, string> {
  const env = baseEnvironment();
  for (const v of variables) env[v.key] = v.value;
  env[PROCESS_TAG] = tag;
  return env;
}

/** As for a step, plus what an interactive terminal needs; `prompt` becomes PS1 (for shells that read it so). */
export function terminalEnvironment(
  variables: readonly JobVariable[],
  tag: string,
  prompt: string | null,
): Record<string, string> {
  const env = { ...stepEnvironment(variables, tag), TERM: "xterm-256color", COLORTERM: "truecolor" };
  return prompt === null ? env : { ...env, PS1: prompt };
}
