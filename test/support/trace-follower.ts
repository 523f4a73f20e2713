// A client of `…/jobs/:id/trace/stream` (SSE) that records every log byte it is shown and how the stream ended.
import { Buffer } from "node:buffer";

export type FollowEnd = { end: string } | { error: string };

export interface TraceFollower {
  /** Every byte shown so far, in order. */
  bytes(): Buffer;
  /** `{ end: status }` after the `end` event, or `{ error }` when the connection broke or closed without one. */
  ended: Promise<FollowEnd>;
  cancel(): void;
}

export function followTrace(url: string, token: string, projectId: number, jobId: number, offset = 0): TraceFollower {
  const parts: Buffer[] = [];
  const abort = new AbortController();
  const ended = (async (): Promise<FollowEnd> => {
    try {
      const res = await fetch(`${url}/api/v4/projects/${projectId}/jobs/${jobId}/trace/stream?offset=${offset}`, {
        headers: { "PRIVATE-TOKEN": token },
        signal: abort.signal,
      });
      if (res.status !== 200) return { error: `status ${res.status}` };
      const decoder = new TextDecoder();
      let buffer = "";
      for await (const chunk of res.body!) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let at = buffer.indexOf("\n\n"); at >= 0; at = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const field = (name: string) =>
            block
              .split("\n")
              .find((l) => l.startsWith(`${name}:`))
              ?.slice(name.length + 1)
              .trim();
          if (field("event") === "data") parts.push(Buffer.from(field("data") ?? "", "base64"));
          if (field("event") === "end") return { end: JSON.parse(field("data") ?? "{}").status };
        }
      }
      return { error: "closed without end" };
    } catch (error) {
      return { error: String((error as { code?: string }).code ?? error) };
    }
  })();
  return { bytes: () => Buffer.concat(parts), ended, cancel: () => abort.abort() };
}
