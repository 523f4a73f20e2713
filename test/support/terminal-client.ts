// A terminal WebSocket client for tests (Bun's WebSocket), and a raw upgrade probe to read refusal statuses.
import { connect } from "node:net";

export type Control = { type: string; [key: string]: unknown };

export interface OpenOptions {
  token?: string;
  cookie?: string;
  origin?: string;
  protocols?: string[];
  query?: Record<string, string>;
  perMessageDeflate?: boolean;
}

/** The terminal.ws URL for a job page path such as `/root/demo/-/jobs/3`. */
export function terminalWsUrl(base: string, jobPath: string, query: Record<string, string> = {}): string {
  const qs = new URLSearchParams(query).toString();
  return `${base.replace(/^http/, "ws")}${jobPath}/terminal.ws${qs ? `?${qs}` : ""}`;
}

export class TerminalClient {
  text = "";
  received = 0;
  readonly controls: Control[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly ws: WebSocket;

  constructor(url: string, opts: OpenOptions = {}) {
    const headers: Record<string, string> = {};
    if (opts.token) headers["PRIVATE-TOKEN"] = opts.token;
    if (opts.cookie) headers.Cookie = opts.cookie;
    if (opts.origin) headers.Origin = opts.origin;
    this.ws = new WebSocket(url, {
      protocols: opts.protocols ?? ["porthole.terminal.v1"],
      headers,
      perMessageDeflate: opts.perMessageDeflate ?? false,
    } as unknown as string[]);
    this.ws.binaryType = "arraybuffer";
    this.opened = new Promise((resolve, reject) => {
      this.ws.onopen = () => resolve();
      this.ws.onerror = () => reject(new Error(`WebSocket to ${url} failed`));
    });
    this.closed = new Promise((resolve) => (this.ws.onclose = (e) => resolve({ code: e.code, reason: e.reason })));
    this.ws.onmessage = (e) => this.receive(e.data);
  }

  private receive(data: unknown): void {
    const base64 = this.ws.protocol === "base64.terminal.gitlab.com";
    if (typeof data === "string" && !base64) return void this.controls.push(JSON.parse(data) as Control);
    const bytes = typeof data === "string" ? Buffer.from(data, "base64") : Buffer.from(data as ArrayBuffer);
    this.received += bytes.length;
    this.text += bytes.toString("latin1");
  }

  type(text: string): void {
    if (this.ws.protocol === "base64.terminal.gitlab.com") this.ws.send(Buffer.from(text).toString("base64"));
    else this.ws.send(new TextEncoder().encode(text));
  }

  resize(cols: number, rows: number): void {
    this.ws.send(JSON.stringify({ type: "resize", cols, rows }));
  }

  async until(pattern: RegExp, ms = 15_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = this.text.match(pattern);
      if (m) return m;
      if (Date.now() > deadline)
        throw new Error(`no ${pattern} in terminal output: ${JSON.stringify(this.text.slice(-400))}`);
      await Bun.sleep(10);
    }
  }

  async control(type: string, ms = 15_000): Promise<Control> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.controls.find((c) => c.type === type);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${type} message; got ${JSON.stringify(this.controls)}`);
      await Bun.sleep(10);
    }
  }

  async close(): Promise<void> {
    this.ws.close(1000);
    await this.closed;
  }
}

/** Sends a WebSocket upgrade request by hand and returns the HTTP status the server answered with. */
export function upgradeStatus(base: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  const { hostname, port } = new URL(base);
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    "Connection: Upgrade",
    "Upgrade: websocket",
    "Sec-WebSocket-Version: 13",
    `Sec-WebSocket-Key: ${Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64")}`,
    ...Object.entries({ "Sec-WebSocket-Protocol": "porthole.terminal.v1", ...headers }).map(([k, v]) => `${k}: ${v}`),
  ];
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`${lines.join("\r\n")}\r\n\r\n`));
    let head = "";
    socket.on("data", (chunk) => {
      head += chunk.toString("latin1");
      const status = head.match(/^HTTP\/1\.1 (\d{3})/);
      if (status) {
        socket.destroy();
        resolve(Number(status[1]));
      }
    });
    socket.on("error", reject);
  });
}
