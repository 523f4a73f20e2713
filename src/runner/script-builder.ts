// Turns a job's commands into the POSIX shell text an executor runs, echoing each command as GitLab does.

/** The CI_JOB_STATUS values after_script sees. */
export type JobStatusForAfterScript = "success" | "failed" | "canceled";

/** Single-quotes `text` for a POSIX shell (`'` becomes `'\''`). */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** What the log shows for a command: the command, or its first line with GitLab's note for a multi-line one. */
export function echoText(command: string): string {
  const trimmed = command.replace(/\n+$/, "");
  const newline = trimmed.indexOf("\n");
  return newline < 0 ? trimmed : `${trimmed.slice(0, newline)} # collapsed multi-line command`;
}

export function commandLines(commands: readonly string[]): string[] {
  return commands.flatMap((command) => [
    `printf '\\033[32;1m$ %s\\033[0;m\\n' ${shellQuote(echoText(command))}`,
    command,
  ]);
}

/**
 * The step_script: before_script and script in one shell, stopping at the first failing command
 * (errexit and pipefail, as GitLab runs them). Each command is echoed in bold green before it runs.
 */
export function buildStepScript(beforeScript: readonly string[], script: readonly string[]): string {
  return ["set -eo pipefail", ...commandLines([...beforeScript, ...script]), ""].join("\n");
}

/** The after_script: a fresh shell with CI_JOB_STATUS set to how the script ended. */
export function buildAfterScript(afterScript: readonly string[], status: JobStatusForAfterScript): string {
  return ["set -eo pipefail", `export CI_JOB_STATUS=${status}`, ...commandLines(afterScript), ""].join("\n");
}
