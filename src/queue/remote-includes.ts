// `include:remote` for the queue: each URL fetched once per pipeline creation (or lint), over HTTPS (http only when
// `limits.include_remote_http` allows it), within a time and size budget, and only from public addresses: the
// import_url SSRF guard's rules, with the connection pinned to the address that was checked.
import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { type ImportAllowlist, importAllowlist, isBlockedAddress } from "./import-target.ts";

/** How long one remote file may take, connection included. */
export const REMOTE_INCLUDE_TIMEOUT_MS = 10_000;
/** The largest remote file read (GitLab's limit on one CI file). */
export const REMOTE_INCLUDE_MAX_BYTES = 2 * 1024 * 1024;

export interface RemoteIncludeOptions {
  /** Private hosts and ranges that may still be reached (`limits.import_url_allowlist`). */
  allowlist?: ImportAllowlist;
  /** `http://` URLs too (`limits.include_remote_http`); HTTPS only when false. */
  allowHttp?: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  /** Certificates to trust besides the system's (PEM). */
  ca?: string;
}

type Fetched = { text: string } | { error: string };

/** The remote files of one pipeline creation (or lint): each URL fetched once, however often it is included. */
export type RemoteIncludeCache = (url: string) => Promise<Fetched>;

export function remoteIncludeCache(options: RemoteIncludeOptions = {}): RemoteIncludeCache {
  const fetches = new Map<string, Promise<Fetched>>();
  return (url) => {
    const fetch = fetches.get(url) ?? fetchRemoteInclude(url, options);
    fetches.set(url, fetch);
    return fetch;
  };
}

const blocked = (why: string): Fetched => ({ error: `Remote file could not be fetched because ${why}!` });
const failed = (url: string, why: string): Fetched => ({
  error: `Remote file \`${url}\` could not be fetched because of ${why}!`,
});
const LOCAL_NETWORK = "Requests to the local network are not allowed";

/** One remote file's text, or GitLab's message for why it could not be had. Never throws. */
export async function fetchRemoteInclude(url: string, options: RemoteIncludeOptions = {}): Promise<Fetched> {
  const allowlist = options.allowlist ?? importAllowlist([]);
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { error: `Remote file \`${url}\` does not have a valid address!` };
  }
  const scheme = target.protocol;
  if (scheme !== "https:" && !(scheme === "http:" && options.allowHttp))
    return blocked(`Only allowed schemes are ${options.allowHttp ? "http, https" : "https"}`);
  const host = target.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && isBlockedAddress(host) && !allowlist.allows(host, [host])) return blocked(LOCAL_NETWORK);
  const refusal = { value: false };
  // The name is resolved once, here: every address must be public (or allowed), and the connection goes to it.
  const pinnedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    lookup(hostname, { all: true, verbatim: true }).then(
      (found) => {
        const addresses = found.map((a) => a.address);
        if (addresses.some(isBlockedAddress) && !allowlist.allows(hostname, addresses)) {
          refusal.value = true;
          return callback(new Error(LOCAL_NETWORK), "", 4);
        }
        const first = found[0]!;
        if (lookupOptions.all) return (callback as unknown as (e: null, a: typeof found) => void)(null, [first]);
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 4),
    );
  };
  return new Promise<Fetched>((resolve) => {
    const client = scheme === "https:" ? https : http;
    const timeoutMs = options.timeoutMs ?? REMOTE_INCLUDE_TIMEOUT_MS;
    const maxBytes = options.maxBytes ?? REMOTE_INCLUDE_MAX_BYTES;
    let settled = false;
    const done = (result: Fetched) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(failed(url, "a timeout error")), timeoutMs);
    const request = client.get(
      target,
      { lookup: pinnedLookup, ...(options.ca ? { ca: options.ca } : {}), headers: { accept: "*/*" } },
      (response) => {
        const status = response.statusCode ?? 0;
        // Redirects are not followed: the place they lead to was not checked.
        if (status >= 300) return done(failed(url, `HTTP code \`${status}\` error`));
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) done({ error: `Remote file \`${url}\` is larger than ${maxBytes} bytes!` });
          else chunks.push(chunk);
        });
        response.on("end", () => done({ text: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", () => done(failed(url, "HTTP error")));
      },
    );
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (refusal.value) return done(blocked(LOCAL_NETWORK));
      const socket =
        error.code && /^(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH)$/.test(error.code);
      done(failed(url, socket ? "a socket error" : "HTTP error"));
    });
  });
}
