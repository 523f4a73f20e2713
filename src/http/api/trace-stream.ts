// GET …/jobs/:job_id/trace/stream: the job log live over Server-Sent Events, lossless and with bounded memory.
//
// Events: `data` — `data:` is a base64 chunk of raw log bytes (logs hold `\r` and partial UTF-8, which SSE text
// cannot carry), `id:` the log offset after it, so a reconnect with Last-Event-ID resumes exactly; `end` — the log
// is complete, or the server is stopping (then the status may still be pending or running: resume after the
// restart), `data:` is `{"status": "<job status>"}`. `?offset=N` starts at byte N. Comments keep proxies awake.
import { Hono } from "hono";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
import { isFinished } from "../../domain/status.ts";
import type { ApiContext, ApiEnv } from "../env.ts";
import { ParamsError } from "../middleware/errors.ts";
import { loadJob } from "./guard.ts";

/** Largest chunk per event, and the most a slow client may have queued before it is switched to catch-up reads. */
const CHUNK_BYTES = 64 * 1024;
const MAX_QUEUED_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 15_000;

function startOffset(c: ApiContext): number {
  const raw = c.req.header("last-event-id") ?? c.req.query("offset") ?? "0";
  if (!/^\d{1,15}$/.test(raw)) throw new ParamsError("offset is invalid");
  return Number(raw);
}

export function traceStreamRoutes(): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get("/projects/:id/jobs/:job_id{[0-9]+}/trace/stream", (c) => {
    const { job } = loadJob(c, "read_job_log");
    const from = startOffset(c);
    const { traces, events, store } = c.get("deps");
    const jobStatus = () => store.repos.jobs.findById(job.id);
    c.env?.server?.timeout(c.req.raw, 0); // a quiet log is not an idle client: lift Bun's 10 s idle timeout
    return streamSSE(c, async (stream) => {
      // Live bytes are queued only while caught up; during catch-up (at start, or after a slow client let more
      // than MAX_QUEUED_BYTES pile up) they are dropped and read back from the store in CHUNK_BYTES pieces.
      let queue: Uint8Array[] = [];
      let queued = 0;
      let ended = false;
      let catchingUp = true;
      let wake: () => void = () => {};
      const listener = {
        data(bytes: Uint8Array) {
          if (catchingUp) return;
          queue.push(bytes);
          queued += bytes.length;
          if (queued > MAX_QUEUED_BYTES) {
            catchingUp = true;
            queue = [];
            queued = 0;
          }
          wake();
        },
        end() {
          ended = true;
          wake();
        },
      };
      const size = traces.size(job.id);
      let offset = Math.min(from, size);
      const status = jobStatus();
      const unsubscribe = traces.follow(job.id, size, status ? !isFinished(status.status) : false, listener);
      /** Reads the next stored piece; the last, short one ends catch-up in the same tick, so nothing slips between. */
      const catchUp = () => {
        const piece = traces.read(job.id, offset, CHUNK_BYTES);
        if (piece.length > 0) {
          queue.push(piece);
          queued += piece.length;
        }
        if (piece.length < CHUNK_BYTES) catchingUp = false;
      };
      const stopWatching = events.onJob((row) => {
        if (row.id === job.id && isFinished(row.status) && row.startedAt === null) listener.end();
      });
      const heartbeat = setInterval(() => void stream.write(": keep-alive\n\n").catch(() => {}), HEARTBEAT_MS);
      stream.onAbort(() => wake());
      try {
        await stream.write(": streaming\n\n"); // sends the headers now, before the first log byte
        while (!stream.aborted) {
          if (queue.length > 0) {
            const bytes = Buffer.concat(queue);
            queue = [];
            queued = 0;
            offset = await send(stream, bytes, offset);
          } else if (catchingUp) catchUp();
          else if (ended) break;
          else await new Promise<void>((resolve) => (wake = resolve));
        }
        if (!stream.aborted)
          await stream.writeSSE({ event: "end", data: JSON.stringify({ status: jobStatus()?.status ?? job.status }) });
      } finally {
        clearInterval(heartbeat);
        stopWatching();
        unsubscribe();
      }
    });
  });
  return app;
}

/** Writes `bytes` as `data` events of at most CHUNK_BYTES; returns the new offset. */
async function send(stream: SSEStreamingApi, bytes: Uint8Array, offset: number): Promise<number> {
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
    const piece = bytes.subarray(at, at + CHUNK_BYTES);
    offset += piece.length;
    await stream.writeSSE({ event: "data", id: String(offset), data: Buffer.from(piece).toString("base64") });
  }
  return offset;
}
