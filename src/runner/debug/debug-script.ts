// The step_script of a job being debugged: saves its shell state for terminals, pauses at a breakpoint.
import type { Breakpoint } from "../../domain/debug.ts";
import { commandLines, shellQuote } from "../script-builder.ts";

/** In the control folder: the shell state a terminal starts from, and the file that exists while paused. */
export const STATE_FILE = "state.sh";
export const PAUSED_FILE = "paused";

/** bash's own variables, and the ones that name a process of the step: never copied into a terminal. */
const NOT_COPIED =
  "BASH*|COMP*|HIST*|FUNCNAME|GROUPS|PIPESTATUS|DIRSTACK|RANDOM|SRANDOM|SECONDS|LINENO|EPOCH*|PPID|UID|EUID|" +
  "TERM|COLORTERM|SHELLOPTS|OPTIND|OPTERR|OPTARG|IFS|PS1|PS2|PS3|PS4|HOSTNAME|HOSTTYPE|MACHTYPE|OSTYPE|SHLVL|PWD|OLDPWD|_|" +
  "MAILCHECK|COLUMNS|LINES|PORTHOLE_PROCESS_TAG|PORTHOLE_EXEC|__porthole_*";

/**
 * Shell functions the script starts with. `__porthole_save` writes the variables (bash: the unexported ones too)
 * and the working directory to the state file (only the job's user may read it: it holds the job's secrets), in a
 * form the same shell reads back; `__porthole_pause` saves,
 * creates the paused file and waits until the runner removes it (Continue).
 */
function debugFunctions(controlDir: string): string[] {
  const dir = shellQuote(controlDir);
  return [
    `__porthole_save() {`,
    `  ( umask 077; {`,
    `    if [ -n "\${BASH_VERSION:-}" ]; then`,
    `      for __porthole_v in $(compgen -v); do`,
    `        case "$__porthole_v" in ${NOT_COPIED}) ;; *) export "$__porthole_v" 2>/dev/null ;; esac`,
    `      done`,
    `    fi`,
    `    unset PORTHOLE_PROCESS_TAG PORTHOLE_EXEC OLDPWD PWD SHLVL TERM COLORTERM 2>/dev/null`,
    `    __PORTHOLE_CWD=$(pwd) && export __PORTHOLE_CWD`,
    `    export -p`,
    `    echo 'cd "$__PORTHOLE_CWD" 2>/dev/null; unset __PORTHOLE_CWD'`,
    `  } > ${dir}/${STATE_FILE}.new ) 2>/dev/null && mv -f ${dir}/${STATE_FILE}.new ${dir}/${STATE_FILE} || true`,
    `}`,
    `__porthole_pause() {`,
    `  __porthole_save`,
    `  : > ${dir}/${PAUSED_FILE}`,
    `  printf '\\033[33;1m%s\\033[0;m\\n' "Paused $1: open Debug for a terminal here; Continue resumes the job"`,
    `  while [ -e ${dir}/${PAUSED_FILE} ]; do sleep 0.2 2>/dev/null || sleep 1; done`,
    `  printf '\\033[33;1m%s\\033[0;m\\n' "Continued"`,
    `}`,
  ];
}

export interface DebugScriptOptions {
  /** Seen at the same path by the runner and inside the job's environment; the job may write there. */
  controlDir: string;
  breakpoint?: Breakpoint;
}

/**
 * As buildStepScript, plus: a failing script saves its state on exit (for a terminal opened after the failure), and
 * the breakpoint pauses the shell in place (`before_script`: before its first command; `before_script_end`: after
 * its last; `script:N`: before script line N; a line past the end pauses after the last).
 */
export function buildDebugStepScript(
  beforeScript: readonly string[],
  script: readonly string[],
  options: DebugScriptOptions,
): string {
  const b = options.breakpoint;
  const pause = (where: string) => [`__porthole_pause ${shellQuote(where)}`];
  const line = b?.kind === "script" ? Math.min(b.line, script.length + 1) : 0;
  const scriptPart =
    line > 0
      ? [
          ...commandLines(script.slice(0, line - 1)),
          ...pause(line > script.length ? "after the last script line" : `before script line ${line}`),
          ...commandLines(script.slice(line - 1)),
        ]
      : commandLines(script);
  return [
    "set -eo pipefail",
    ...debugFunctions(options.controlDir),
    `trap '__porthole_rc=$?; [ "$__porthole_rc" -eq 0 ] || __porthole_save; exit "$__porthole_rc"' EXIT`,
    ...(b?.kind === "before_script" ? pause("before before_script") : []),
    ...commandLines(beforeScript),
    ...(b?.kind === "before_script_end" ? pause("at the end of before_script") : []),
    ...scriptPart,
    "",
  ].join("\n");
}
