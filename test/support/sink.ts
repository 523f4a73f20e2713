// An OutputSink that keeps everything an executor writes, for tests that read the job log as the runner would.
import type { OutputSink } from "../../src/executor/types.ts";

export interface CapturingSink extends OutputSink {
  /** Everything written so far (job bytes and executor lines), as text. */
  text(): string;
}

export function captureSink(): CapturingSink {
  const parts: Buffer[] = [];
  return {
    write: (bytes) => void parts.push(Buffer.from(bytes)),
    info: (line) => void parts.push(Buffer.from(`${line}\n`)),
    text: () => Buffer.concat(parts).toString(),
  };
}
