// The live log over Server-Sent Events, through a real socket: backlog, live bytes, end, resume, permissions.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { ROLES } from "../../src/auth/permissions.ts";
import { type HttpServer, startHttpServer } from "../../src/http/server.ts";
import type { ProjectRow, UserRow } from "../../src/store/rows.ts";
import { jobs } from "../../src/store/schema.ts";
import { type Harness, makeHarness } from "../support/api-harness.ts";

let h: Harness;
let server: HttpServer;
let owner: { user: UserRow; token: string };
let p: ProjectRow;
beforeAll(async () => {
  h = await makeHarness();
  server = startHttpServer(h.app, { listen: "127.0.0.1:0" });
  owner = await h.user("owner");
  p = h.project(owner.user, { name: "live" });
});
afterAll(async () => {
  await server.stop();
  h.close();
});

interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** Reads events from an SSE response one at a time. */
function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return async function next(): Promise<SseEvent> {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(":")) continue;
        const fields: Record<string, string> = {};
        for (const line of block.split("\n"))
          fields[line.slice(0, line.indexOf(":"))] = line.slice(line.indexOf(":") + 2);
        return { event: fields.event!, data: fields.data!, id: fields.id };
      }
      const { value, done } = await reader.read();
      if (done) throw new Error("stream ended");
      buffer += decoder.decode(value, { stream: true });
    }
  };
}

const decode = (e: SseEvent) => Buffer.from(e.data, "base64").toString("utf8");
const open = (jobId: number, headers: Record<string, string> = {}, token = owner.token) =>
  fetch(`${server.url}/api/v4/projects/${p.id}/jobs/${jobId}/trace/stream`, {
    headers: { "PRIVATE-TOKEN": token, ...headers },
  });

test("backlog first, then live bytes as they come, then end with the status; ids are byte offsets", async () => {
  const {
    jobs: [job],
  } = h.pipeline(p, { jobs: [{ name: "run", status: "running" }] });
  h.traces.append(job!.id, new TextEncoder().encode("line one\r\n"));
  const res = await open(job!.id);
  expect(res.headers.get("content-type")).toBe("text/event-stream");
  const next = sseReader(res);
  const first = await next();
  expect([first.event, decode(first), first.id]).toEqual(["data", "line one\r\n", "10"]);
  h.traces.append(job!.id, new TextEncoder().encode("\x1b[32;1mlive ✓\x1b[0m\n"));
  const live = await next();
  expect(decode(live)).toBe("\x1b[32;1mlive ✓\x1b[0m\n");
  h.db.update(jobs).set({ status: "success" }).where(eq(jobs.id, job!.id)).run();
  h.traces.finish(job!.id);
  const end = await next();
  expect([end.event, JSON.parse(end.data)]).toEqual(["end", { status: "success" }]);
});

test("Last-Event-ID resumes exactly where the client stopped", async () => {
  const {
    jobs: [job],
  } = h.pipeline(p, { jobs: [{ name: "done", status: "success" }] });
  h.traces.append(job!.id, new TextEncoder().encode("0123456789abcdef"));
  h.traces.finish(job!.id);
  const next = sseReader(await open(job!.id, { "Last-Event-ID": "10" }));
  const rest = await next();
  expect([decode(rest), rest.id]).toEqual(["abcdef", "16"]);
  expect((await next()).event).toBe("end");
});

test("a large backlog arrives complete and in order, in bounded chunks", async () => {
  const {
    jobs: [job],
  } = h.pipeline(p, { jobs: [{ name: "big", status: "success" }] });
  const big = new Uint8Array(300 * 1024).map((_, i) => i % 251);
  h.traces.append(job!.id, big);
  h.traces.finish(job!.id);
  const next = sseReader(await open(job!.id));
  const parts: Buffer[] = [];
  for (let e = await next(); e.event === "data"; e = await next()) {
    const bytes = Buffer.from(e.data, "base64");
    expect(bytes.length).toBeLessThanOrEqual(64 * 1024);
    parts.push(bytes);
  }
  expect(Buffer.concat(parts).equals(Buffer.from(big))).toBe(true);
});

test("a client that falls behind a flood still gets every byte, re-read from the store", async () => {
  const {
    jobs: [job],
  } = h.pipeline(p, { jobs: [{ name: "flood", status: "running" }] });
  h.traces.append(job!.id, new TextEncoder().encode("start\n"));
  const next = sseReader(await open(job!.id));
  expect(decode(await next())).toBe("start\n");
  const expected: Buffer[] = [Buffer.from("start\n")];
  for (let i = 0; i < 48; i++) {
    const chunk = Buffer.alloc(64 * 1024, 97 + (i % 26));
    expected.push(chunk);
    h.traces.append(job!.id, chunk);
  }
  h.traces.finish(job!.id);
  const parts: Buffer[] = [Buffer.from("start\n")];
  for (let e = await next(); e.event === "data"; e = await next()) parts.push(Buffer.from(e.data, "base64"));
  expect(Buffer.concat(parts).equals(Buffer.concat(expected))).toBe(true);
});

test("a job canceled before it ever ran ends the stream", async () => {
  const {
    jobs: [job],
  } = h.pipeline(p, { jobs: [{ name: "never", status: "pending" }] });
  const next = sseReader(await open(job!.id));
  const row = h.db.update(jobs).set({ status: "canceled" }).where(eq(jobs.id, job!.id)).returning().get()!;
  h.events.jobChanged(row);
  const end = await next();
  expect([end.event, JSON.parse(end.data)]).toEqual(["end", { status: "canceled" }]);
});

test("the stream is permission-checked like the trace", async () => {
  const {
    jobs: [job],
  } = h.pipeline(p, { jobs: [{ name: "secret", status: "success" }] });
  const { user: guest, token: guestToken } = await h.user("guest");
  h.member(p, guest, ROLES.guest);
  const { token: outsider } = await h.user("outsider");
  expect((await open(job!.id, {}, guestToken)).status).toBe(403);
  expect((await open(job!.id, {}, outsider)).status).toBe(404);
  expect((await fetch(`${server.url}/api/v4/projects/${p.id}/jobs/${job!.id}/trace/stream`)).status).toBe(401);
  expect((await open(job!.id, { "Last-Event-ID": "x" })).status).toBe(400);
});
