// The server's log: one line per event with a level and fields, as logfmt or JSON, filtered by `log.level`.

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export const LOG_FORMATS = ["logfmt", "json"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = (typeof LOG_FORMATS)[number];
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** The same log with `fields` on every line (`{ component: "runner" }`). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where each line goes, without its newline; standard error by default. */
  write?: (line: string) => void;
}

/** A field's text: an Error is its name and message, a string as is, anything else as JSON. */
function plain(value: unknown): unknown {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return value;
}

/** `key=value` with the value quoted (JSON string escapes) when it is empty or holds spaces, quotes or `=`. */
function logfmtPair(key: string, value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return `${key}=${/^[^\s"=\\]+$/.test(text) ? text : JSON.stringify(text)}`;
}

export function createLogger(options: LoggerOptions = {}, bound: LogFields = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? "info");
  const write = options.write ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const emit = (level: LogLevel, message: string, fields: LogFields = {}) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const entries = Object.entries({ ...bound, ...fields })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, plain(v)] as const);
    const head = { time: new Date().toISOString(), level, msg: message };
    write(
      options.format === "json"
        ? JSON.stringify({ ...head, ...Object.fromEntries(entries) })
        : [...Object.entries(head), ...entries].map(([k, v]) => logfmtPair(k, v)).join(" "),
    );
  };
  return {
    debug: (message, fields) => emit("debug", message, fields),
    info: (message, fields) => emit("info", message, fields),
    warn: (message, fields) => emit("warn", message, fields),
    error: (message, fields) => emit("error", message, fields),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

/** For tests and tools that want no log at all. */
export const silentLogger: Logger = createLogger({ write: () => {} });
