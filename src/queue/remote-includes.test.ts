// include:remote fetching: a real HTTPS server on loopback (reached only through the allowlist, as import_url tests
// do), GitLab's messages for HTTP codes and timeouts, the size cap, and the SSRF refusals (no connection made).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { selfSignedCertificate } from "../runner/remote/self-signed.ts";
import { importAllowlist } from "./import-target.ts";
import { fetchRemoteInclude, remoteIncludeCache } from "./remote-includes.ts";

let server: ReturnType<typeof Bun.serve>;
let plain: ReturnType<typeof Bun.serve>;
let ca: string;
let requests: string[] = [];
const loopback = importAllowlist(["127.0.0.1"]);

beforeAll(async () => {
  const pair = await selfSignedCertificate(["127.0.0.1", "localhost"]);
  ca = pair.cert;
  const handler = async (req: Request) => {
    const path = new URL(req.url).pathname;
    requests.push(path);
    if (path === "/ci.yml") return new Response("remote-job: {script: echo remote}\n");
    if (path === "/big.yml") return new Response("x".repeat(5000));
    if (path === "/moved.yml") return new Response("", { status: 302, headers: { location: "http://10.0.0.1/x.yml" } });
    if (path === "/slow.yml") await Bun.sleep(2000);
    return new Response("no", { status: 404 });
  };
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, tls: pair, fetch: handler });
  plain = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler });
});
afterAll(() => {
  server?.stop(true);
  plain?.stop(true);
});

const at = (path: string) => `https://127.0.0.1:${server.port}${path}`;

describe("fetchRemoteInclude", () => {
  test("an HTTPS file on an allowed host is read", async () => {
    expect(await fetchRemoteInclude(at("/ci.yml"), { allowlist: loopback, ca })).toEqual({
      text: "remote-job: {script: echo remote}\n",
    });
  });

  test("GitLab's messages: HTTP codes (redirects not followed), timeouts; and the size cap", async () => {
    const options = { allowlist: loopback, ca, timeoutMs: 300, maxBytes: 1000 };
    expect(await fetchRemoteInclude(at("/missing.yml"), options)).toEqual({
      error: `Remote file \`${at("/missing.yml")}\` could not be fetched because of HTTP code \`404\` error!`,
    });
    expect(await fetchRemoteInclude(at("/moved.yml"), options)).toEqual({
      error: `Remote file \`${at("/moved.yml")}\` could not be fetched because of HTTP code \`302\` error!`,
    });
    expect(await fetchRemoteInclude(at("/slow.yml"), options)).toEqual({
      error: `Remote file \`${at("/slow.yml")}\` could not be fetched because of a timeout error!`,
    });
    expect(await fetchRemoteInclude(at("/big.yml"), options)).toEqual({
      error: `Remote file \`${at("/big.yml")}\` is larger than 1000 bytes!`,
    });
  });

  test("a certificate that is not trusted fails", async () => {
    const result = await fetchRemoteInclude(at("/ci.yml"), { allowlist: loopback });
    expect(result).toEqual({ error: `Remote file \`${at("/ci.yml")}\` could not be fetched because of HTTP error!` });
  });

  test("http:// only when allowed", async () => {
    const url = `http://127.0.0.1:${plain.port}/ci.yml`;
    expect(await fetchRemoteInclude(url, { allowlist: loopback })).toEqual({
      error: "Remote file could not be fetched because Only allowed schemes are https!",
    });
    expect(await fetchRemoteInclude(url, { allowlist: loopback, allowHttp: true })).toEqual({
      text: "remote-job: {script: echo remote}\n",
    });
  });
});

describe("SSRF: loopback, private and link-local targets are refused before any connection", () => {
  test("addresses and names that are not public", async () => {
    requests = [];
    const refused = {
      error: "Remote file could not be fetched because Requests to the local network are not allowed!",
    };
    for (const url of [
      at("/ci.yml"),
      `https://localhost:${server.port}/ci.yml`,
      `https://[::1]:${server.port}/ci.yml`,
      `https://[::ffff:127.0.0.1]:${server.port}/ci.yml`,
      `https://2130706433:${server.port}/ci.yml`,
      "https://10.0.0.1/ci.yml",
      "https://192.168.1.1/ci.yml",
      "https://169.254.169.254/latest/meta-data.yml",
      "https://[fd00::1]/ci.yml",
      "https://0.0.0.0/ci.yml",
    ])
      expect([url, await fetchRemoteInclude(url, { ca, timeoutMs: 2000 })]).toEqual([url, refused]);
    expect(requests).toEqual([]);
  });
});

describe("remoteIncludeCache", () => {
  test("each URL is fetched once per cache, only when asked for, however often and at once it is asked", async () => {
    requests = [];
    const cache = remoteIncludeCache({ allowlist: loopback, ca });
    expect(requests).toEqual([]);
    const text = { text: "remote-job: {script: echo remote}\n" };
    expect(await Promise.all([cache(at("/ci.yml")), cache(at("/ci.yml"))])).toEqual([text, text]);
    expect(await cache(at("/ci.yml"))).toEqual(text);
    expect(requests).toEqual(["/ci.yml"]);
    // Another creation's cache fetches again (the file may have changed).
    expect(await remoteIncludeCache({ allowlist: loopback, ca })(at("/ci.yml"))).toEqual(text);
    expect(requests).toEqual(["/ci.yml", "/ci.yml"]);
  });
});
