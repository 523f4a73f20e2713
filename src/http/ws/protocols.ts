// The terminal WebSocket subprotocols: which one to speak, and how bytes and control messages travel in each
// (docs/terminal-protocol.md).
import { z } from "zod";

/** In the server's order of preference. */
export const SUBPROTOCOLS = ["porthole.terminal.v1", "terminal.gitlab.com", "base64.terminal.gitlab.com"] as const;
export type Subprotocol = (typeof SUBPROTOCOLS)[number];

/** The protocol to speak, from the client's `Sec-WebSocket-Protocol` offer; null when none is supported. */
export function pickSubprotocol(offer: string | null): Subprotocol | null {
  const offered = new Set((offer ?? "").split(",").map((p) => p.trim()));
  return SUBPROTOCOLS.find((p) => offered.has(p)) ?? null;
}

const controlSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("resize"),
    cols: z.number().int().min(1).max(1000),
    rows: z.number().int().min(1).max(1000),
  }),
  z.object({ type: z.literal("ack"), bytes: z.number().int().nonnegative() }),
  /** A watching connection asks to become the writer. */
  z.object({ type: z.literal("take_control") }),
  /** The writer gives control to another connection of the session (its `id` in `participants`). */
  z.object({ type: z.literal("hand_over"), to: z.number().int().positive() }),
]);
export type ClientControl = z.output<typeof controlSchema>;

/** What one incoming frame means. */
export type Incoming = { input: Uint8Array } | { control: ClientControl } | { error: string };

const enc = new TextEncoder();
/** An ack exactly as clients write it (JSON.stringify of {type, bytes}): the one control message sent per output frame. */
const PLAIN_ACK = /^\{"type":"ack","bytes":(\d{1,15})\}$/;

/** Decodes a frame from the client: a binary frame is input in every subprotocol. */
export function decodeFrame(protocol: Subprotocol, message: string | Uint8Array): Incoming {
  return typeof message === "string" ? decodeText(protocol, message) : { input: message };
}

/** Decodes a text frame from the client. `porthole.terminal.v1` text frames are JSON control messages. */
export function decodeText(protocol: Subprotocol, message: string): Incoming {
  if (protocol === "terminal.gitlab.com") return { input: enc.encode(message) };
  if (protocol === "base64.terminal.gitlab.com") {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(message))
      return { error: "base64.terminal.gitlab.com: text frame is not base64" };
    return { input: Buffer.from(message, "base64") };
  }
  const ack = PLAIN_ACK.exec(message);
  if (ack) return { control: { type: "ack", bytes: Number(ack[1]) } };
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return { error: "control message is not JSON" };
  }
  const parsed = controlSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      error: `invalid control message at ${issue?.path.join(".") || "type"}: ${issue?.message ?? "unknown"} (expected {"type":"resize","cols":1..1000,"rows":1..1000}, {"type":"ack","bytes":n}, {"type":"take_control"} or {"type":"hand_over","to":id})`,
    };
  }
  return { control: parsed.data };
}

/** Encodes terminal output for the protocol: binary frames, or base64 text for `base64.terminal.gitlab.com`. */
export function encodeOutput(protocol: Subprotocol, bytes: Uint8Array): string | Uint8Array {
  return protocol === "base64.terminal.gitlab.com" ? Buffer.from(bytes).toString("base64") : bytes;
}

/** Whether the protocol has a control channel (hello, exit, closing). */
export function hasControlChannel(protocol: Subprotocol): boolean {
  return protocol === "porthole.terminal.v1";
}
