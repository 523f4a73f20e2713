// Server-sent events for the pages: no idle timeout, keep-alive comments, and cleanup when the client goes away.
import { streamSSE } from "hono/streaming";
import type { UiContext } from "./env.ts";

/** A comment line this often keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

export interface EventSink {
  /** Sends one event; its data is JSON-encoded. */
  send(event: string, data: unknown): void;
  /** Ends the stream (after what was sent). */
  close(): void;
}

/**
 * Answers with an event stream. `start` subscribes and returns its unsubscribe, called once when the client
 * disconnects, `close()` is called or the server stops (which closes the stream after what was sent). Bun's
 * per-request idle timeout is lifted: a quiet log is not an idle client.
 */
export function eventStream(c: UiContext, start: (sink: EventSink) => () => void): Response {
  c.env?.server?.timeout(c.req.raw, 0);
  return streamSSE(c, async (stream) => {
    const done = Promise.withResolvers<void>();
    let chain = Promise.resolve();
    const write = (text: () => Promise<void>) => {
      chain = chain.then(text).catch(() => done.resolve());
      return chain;
    };
    const sink: EventSink = {
      send: (event, data) => void write(() => stream.writeSSE({ event, data: JSON.stringify(data) })),
      close: () => void write(async () => {}).then(() => done.resolve()),
    };
    const stop = start(sink);
    // Sends the headers now, so the browser's `open` fires once the subscription is in place.
    void write(() => stream.write(": subscribed\n\n").then(() => {}));
    const keepalive = setInterval(
      () => void write(() => stream.write(": keep-alive\n\n").then(() => {})),
      KEEPALIVE_MS,
    );
    stream.onAbort(() => done.resolve());
    if (c.env?.stopping?.aborted) sink.close();
    else c.env?.stopping?.addEventListener("abort", sink.close, { once: true });
    await done.promise;
    clearInterval(keepalive);
    c.env?.stopping?.removeEventListener("abort", sink.close);
    stop();
  });
}
