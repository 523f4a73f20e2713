// Configuration errors: collecting them with their positions and printing them on one line.
import type { ConfigError } from "./types.ts";
import type { Loc } from "./yaml/tree.ts";

/** The name errors in the main file are reported under; the main file's name is left out of printed errors. */
export const MAIN_FILE = ".gitlab-ci.yml";

/** `<message> (line L, column C)`, prefixed by `<file>: ` when the error is not in the main file. */
export function formatError(e: ConfigError): string {
  const where = e.line !== undefined ? ` (line ${e.line}, column ${e.column ?? 1})` : "";
  const file = e.file && e.file !== MAIN_FILE ? `${e.file}: ` : "";
  return `${file}${e.message}${where}`;
}

/** Collects errors (each once) in the order they were found. */
export class Problems {
  readonly errors: ConfigError[] = [];
  readonly warnings: string[] = [];
  private readonly seen = new Set<string>();

  /** Records `message` at `loc`. */
  add(loc: Loc, message: string): void {
    const error: ConfigError = { message, file: loc.file, line: loc.line, column: loc.column };
    const key = formatError(error);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.errors.push(error);
  }

  /** Records a warning (each once): the lint result shows it, and so does the log of every job of the pipeline. */
  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  addAll(errors: readonly ConfigError[]): void {
    for (const e of errors)
      this.add({ file: e.file ?? MAIN_FILE, line: e.line ?? 1, column: e.column ?? 1 }, e.message);
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }

  /** The errors in reading order: the main file first, then included files by name; by line and column in each. */
  sorted(): ConfigError[] {
    const file = (e: ConfigError) => (e.file === MAIN_FILE ? "" : (e.file ?? ""));
    return [...this.errors].sort(
      (a, b) => file(a).localeCompare(file(b)) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
    );
  }
}
