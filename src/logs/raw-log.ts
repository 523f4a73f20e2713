// A job's whole log as a byte stream read from the trace store in pieces, so memory stays bounded for big logs.
import type { TraceStore } from "./trace-store.ts";

const PART_BYTES = 1024 * 1024;

/** The log as it is now (bytes appended later are not included), read PART_BYTES at a time as the client pulls. */
export function rawLogStream(traces: TraceStore, jobId: number): ReadableStream<Uint8Array> {
  const size = traces.size(jobId);
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= size) return controller.close();
      const part = traces.read(jobId, offset, Math.min(PART_BYTES, size - offset));
      if (part.length === 0) return controller.close();
      offset += part.length;
      controller.enqueue(part);
    },
  });
}
