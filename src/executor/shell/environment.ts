// The environment of a shell-executor job: its variables over a minimal base; nothing else of the server's.
import type { JobVariable } from "../types.ts";
import { PROCESS_TAG } from "./tagged-processes.ts";

/**
 * The only parts of the server's environment a job sees: where programs are, whose home, the language, who
 * runs it, their shell, where temp files go. Everything else (tokens, PORTHOLE_* settings) stays out.
 */
const INHERITED = ["PATH", "HOME", "LANG", "USER", "SHELL", "TMPDIR"] as const;

/** The base of a job on the host (`runner.shell_isolation = "none"`): the server's user, paths and language. */
export function hostBaseEnvironment(): Record<string, string> {
  const base: Record<string, string> = { PATH: "/usr/local/bin:/usr/bin:/bin" };
  for (const key of INHERITED) {
    const value = process.env[key];
    if (value !== undefined) base[key] = value;
  }
  return base;
}

/** The base of a sandboxed job: its own user, home and the sandbox's PATH; nothing taken from the server. */
export function sandboxBaseEnvironment(user: string, home: string, path: string): Record<string, string> {
  return { PATH: path, HOME: home, USER: user, LOGNAME: user, SHELL: "/bin/bash", LANG: "C.UTF-8" };
}

/** The base, then the job's variables (a job may set PATH), then the process tag that marks the job's processes. */
export function stepEnvironment(
  variables: readonly JobVariable[],
  tag: string,
  base: Record<string, string> = hostBaseEnvironment(),
): Record<string, string> {
  const env = { ...base };
  for (const v of variables) env[v.key] = v.value;
  env[PROCESS_TAG] = tag;
  return env;
}

/** As for a step, plus what an interactive terminal needs; `prompt` becomes PS1 (for shells that read it so). */
export function terminalEnvironment(
  variables: readonly JobVariable[],
  tag: string,
  prompt: string | null,
  base?: Record<string, string>,
): Record<string, string> {
  const env = { ...stepEnvironment(variables, tag, base), TERM: "xterm-256color", COLORTERM: "truecolor" };
  return prompt === null ? env : { ...env, PS1: prompt };
}
