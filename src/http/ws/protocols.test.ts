// Subprotocol choice and frame decoding: what a client may send and how bad frames are answered.
import { describe, expect, test } from "bun:test";
import { decodeFrame, encodeOutput, pickSubprotocol } from "./protocols.ts";

describe("terminal subprotocols", () => {
  test("porthole's own protocol is preferred; GitLab's are understood; others are not", () => {
    expect(pickSubprotocol("terminal.gitlab.com, porthole.terminal.v1")).toBe("porthole.terminal.v1");
    expect(pickSubprotocol("base64.terminal.gitlab.com")).toBe("base64.terminal.gitlab.com");
    expect(pickSubprotocol("tty")).toBeNull();
    expect(pickSubprotocol(null)).toBeNull();
  });

  test("v1 text frames are control messages, checked", () => {
    expect(decodeFrame("porthole.terminal.v1", '{"type":"resize","cols":120,"rows":40}')).toEqual({
      control: { type: "resize", cols: 120, rows: 40 },
    });
    expect(decodeFrame("porthole.terminal.v1", '{"type":"resize","cols":0,"rows":40}')).toMatchObject({
      error: expect.stringContaining("cols"),
    });
    expect(decodeFrame("porthole.terminal.v1", "ls\n")).toEqual({ error: "control message is not JSON" });
    expect(decodeFrame("porthole.terminal.v1", new Uint8Array([3]))).toEqual({ input: new Uint8Array([3]) });
    expect(decodeFrame("porthole.terminal.v1", JSON.stringify({ type: "ack", bytes: 4096 }))).toEqual({
      control: { type: "ack", bytes: 4096 },
    });
    expect(decodeFrame("porthole.terminal.v1", '{ "type": "ack", "bytes": 7 }')).toEqual({
      control: { type: "ack", bytes: 7 },
    });
    expect(decodeFrame("porthole.terminal.v1", '{"type":"ack","bytes":-1}')).toMatchObject({
      error: expect.stringContaining("bytes"),
    });
  });

  test("GitLab's protocols carry bytes only; base64 both ways", () => {
    expect(decodeFrame("terminal.gitlab.com", "ls\n")).toEqual({ input: new TextEncoder().encode("ls\n") });
    const decoded = decodeFrame("base64.terminal.gitlab.com", "bHMK");
    expect("input" in decoded && Buffer.from(decoded.input).toString()).toBe("ls\n");
    expect(decodeFrame("base64.terminal.gitlab.com", "not base64!")).toMatchObject({ error: expect.any(String) });
    expect(encodeOutput("base64.terminal.gitlab.com", new Uint8Array([0, 255]))).toBe("AP8=");
  });
});
