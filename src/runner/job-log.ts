// Writes a job's log the way gitlab-runner does: colours, section markers, command echoes; masked on the way out.
import { createMasker } from "../domain/masker.ts";

export const ANSI = {
  clearLine: "\x1b[0K",
  reset: "\x1b[0;m",
  boldCyan: "\x1b[36;1m",
  boldGreen: "\x1b[32;1m",
  boldRed: "\x1b[31;1m",
  yellow: "\x1b[0;33m",
} as const;

/** The sections of a job, in GitLab's names. */
export type SectionName =
  | "prepare_executor"
  | "get_sources"
  | "restore_cache"
  | "step_script"
  | "after_script"
  | "download_artifacts"
  | "upload_artifacts_on_success"
  | "upload_artifacts_on_failure"
  | "archive_cache"
  | "archive_cache_on_failure"
  | "cleanup_file_variables";

/**
 * Call order: any of the writers, in the order the log should read → end() once.
 * Every byte passes through the masker; a runner line that follows job output without a final newline starts
 * on a new line, so that markers and messages are never glued to the job's last line.
 */
export interface JobLog {
  /** Bytes from the job's processes, as they came. */
  output(bytes: Uint8Array): void;
  /** A line from an executor (`OutputSink.info`): as-is plus a newline. */
  executorLine(line: string): void;
  /** A plain runner line: `\e[0K<text>\e[0;m`. */
  info(text: string): void;
  /** A bold cyan runner header line. */
  header(text: string): void;
  /** A bold green notice (`Fetching changes...`). */
  notice(text: string): void;
  warning(text: string): void;
  error(text: string): void;
  sectionStart(name: SectionName, title: string): void;
  sectionEnd(name: SectionName): void;
  /** Flushes bytes held back by the masker. Nothing may be written after it. */
  end(): void;
}

const unixNow = () => Math.floor(Date.now() / 1000);

/** A log whose bytes go, masked, to `sink` (the trace writer). */
export function createJobLog(maskedPhrases: readonly string[], sink: (bytes: Uint8Array) => void): JobLog {
  const masker = createMasker(maskedPhrases, sink);
  const encoder = new TextEncoder();
  let atLineStart = true;

  function runnerText(text: string) {
    masker.write(encoder.encode(atLineStart ? text : `\n${text}`));
    atLineStart = true;
  }
  const line = (text: string, colour = "", clear: string = ANSI.clearLine) =>
    runnerText(`${clear}${colour}${text}${ANSI.reset}\n`);

  return {
    output(bytes) {
      if (bytes.length === 0) return;
      masker.write(bytes);
      atLineStart = bytes[bytes.length - 1] === 0x0a;
    },
    executorLine: (text) => runnerText(`${text}\n`),
    info: (text) => line(text),
    header: (text) => line(text, ANSI.boldCyan),
    notice: (text) => line(text, ANSI.boldGreen, ""),
    warning: (text) => line(`WARNING: ${text}`, ANSI.yellow, ""),
    error: (text) => line(`ERROR: ${text}`, ANSI.boldRed, ""),
    sectionStart(name, title) {
      runnerText(`section_start:${unixNow()}:${name}\r${ANSI.clearLine}`);
      line(title, ANSI.boldCyan);
    },
    sectionEnd(name) {
      runnerText(`section_end:${unixNow()}:${name}\r${ANSI.clearLine}`);
    },
    end: () => masker.end(),
  };
}
