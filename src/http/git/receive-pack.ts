// The start of a `git-receive-pack` request (the ref updates and push options before the pack) and the report a
// refused push gets, in git's pkt-line format, so `git push` prints `! [remote rejected] <ref> (<reason>)`.

export interface RefUpdate {
  ref: string;
  before: string;
  after: string;
}

export interface ReceiveRequest {
  updates: RefUpdate[];
  capabilities: string[];
  pushOptions: string[];
}

const decoder = new TextDecoder();

/** Reads pkt-lines from `body` until the flush packet; returns their payloads and where the flush ended. */
function readSection(body: Uint8Array, start: number): { lines: string[]; end: number } | null {
  const lines: string[] = [];
  let at = start;
  while (at + 4 <= body.length) {
    const length = Number.parseInt(decoder.decode(body.subarray(at, at + 4)), 16);
    if (Number.isNaN(length) || (length > 0 && length < 4)) return null;
    if (length === 0) return { lines, end: at + 4 };
    if (at + length > body.length) return null;
    lines.push(decoder.decode(body.subarray(at + 4, at + length)).replace(/\n$/, ""));
    at += length;
  }
  return null;
}

/** The ref updates (and push options) a receive-pack request asks for; null when the body is not one. */
export function parseReceiveRequest(body: Uint8Array): ReceiveRequest | null {
  const commands = readSection(body, 0);
  if (!commands) return null;
  const updates: RefUpdate[] = [];
  let capabilities: string[] = [];
  for (const [i, line] of commands.lines.entries()) {
    if (line.startsWith("shallow ")) continue;
    const [command, caps] = line.split("\0");
    const match = /^([0-9a-f]{40,64}) ([0-9a-f]{40,64}) (\S+)$/.exec(command ?? "");
    if (!match) return null;
    if (i === 0 || caps !== undefined) capabilities = (caps ?? "").split(" ").filter(Boolean);
    updates.push({ before: match[1]!, after: match[2]!, ref: match[3]! });
  }
  let pushOptions: string[] = [];
  if (capabilities.includes("push-options")) {
    const options = readSection(body, commands.end);
    if (!options) return null;
    pushOptions = options.lines;
  }
  return { updates, capabilities, pushOptions };
}

const pkt = (text: string) => {
  const bytes = new TextEncoder().encode(text);
  const out = new Uint8Array(bytes.length + 4);
  out.set(new TextEncoder().encode((bytes.length + 4).toString(16).padStart(4, "0")));
  out.set(bytes, 4);
  return out;
};

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/**
 * A receive-pack answer refusing every update (the pack is not unpacked): `ng <ref> <reason>` for the refused ones
 * and `ng <ref> atomic push refused` for the rest, inside side band 1 when the client asked for a side band.
 */
export function refusalReport(request: ReceiveRequest, refused: Map<string, string>): Response {
  const lines = [
    pkt("unpack ok\n"),
    ...request.updates.map((u) => pkt(`ng ${u.ref} ${refused.get(u.ref) ?? "another ref of this push was refused"}\n`)),
    new TextEncoder().encode("0000"),
  ];
  const report = concat(lines);
  const sideBand = request.capabilities.some((c) => c === "side-band-64k" || c === "side-band");
  const body = sideBand ? concat([pkt(`\x01${decoder.decode(report)}`), new TextEncoder().encode("0000")]) : report;
  return new Response(body, {
    status: 200,
    headers: { "Content-Type": "application/x-git-receive-pack-result", "Cache-Control": "no-cache" },
  });
}
