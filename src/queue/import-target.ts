// SSRF guard for the server's fetches of `import_url`: resolve the host once, refuse addresses that are not public,
// and pin git to the address that was checked (no second lookup, no redirects).
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/** The one answer for every refused or failed guarded import, so that replies never tell ports or hosts apart. */
export const IMPORT_REFUSED = "import_url could not be imported";

const BLOCKED = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const)
  BLOCKED.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128], // unspecified
  ["::1", 128],
  ["::", 96], // IPv4-compatible
  ["64:ff9b::", 96], // NAT64: reaches IPv4 targets
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local
  ["ff00::", 8], // multicast
] as const)
  BLOCKED.addSubnet(net, bits, "ipv6");

/** Whether `address` (IPv4 or IPv6, IPv4-mapped included) is loopback, private, link-local or otherwise not public. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return BLOCKED.check(mapped[1]!, "ipv4");
  return BLOCKED.check(address, family === 4 ? "ipv4" : "ipv6");
}

interface Target {
  scheme: "http" | "https" | "git" | "ssh" | "scp";
  host: string;
  port: number;
}

const DEFAULT_PORTS = { http: 80, https: 443, git: 9418, ssh: 22 } as const;

/** The host and port a network `import_url` connects to; null for local paths (admins only) and unparsable text. */
export function importTarget(url: string): Target | null {
  const scp = /^[\w.-]+@([\w.-]+):/.exec(url);
  if (scp && !/^[a-z]+:\/\//i.test(url)) return { scheme: "scp", host: scp[1]!, port: 22 };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const scheme = parsed.protocol.slice(0, -1).toLowerCase();
  if (!(scheme in DEFAULT_PORTS)) return null;
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const port = parsed.port ? Number(parsed.port) : DEFAULT_PORTS[scheme as keyof typeof DEFAULT_PORTS];
  return { scheme: scheme as Target["scheme"], host, port };
}

const LOOKUP_TIMEOUT_MS = 5000;

/** Every address `host` resolves to (itself for an IP literal); empty when it does not resolve in time. */
async function addressesOf(host: string): Promise<string[]> {
  if (isIP(host)) return [host];
  const timeout = new Promise<[]>((resolve) => setTimeout(() => resolve([]), LOOKUP_TIMEOUT_MS));
  const found = lookup(host, { all: true, verbatim: true }).then(
    (list) => list.map((a) => a.address),
    () => [] as string[],
  );
  return Promise.race([found, timeout]);
}

/**
 * Hosts, addresses and CIDR ranges (`git.internal`, `10.1.2.3`, `10.0.0.0/8`) that guarded imports may reach even
 * though they are not public (GitLab's `outbound_local_requests_allowlist`).
 */
export interface ImportAllowlist {
  allows(host: string, addresses: readonly string[]): boolean;
}

export function importAllowlist(entries: readonly string[]): ImportAllowlist {
  const hosts = new Set<string>();
  const nets = new BlockList();
  let any = false;
  for (const entry of entries) {
    const [address, bits] = entry.split("/");
    const family = isIP(address ?? "");
    if (family && bits !== undefined) nets.addSubnet(address!, Number(bits), family === 4 ? "ipv4" : "ipv6");
    else if (family) nets.addAddress(entry, family === 4 ? "ipv4" : "ipv6");
    else hosts.add(entry.toLowerCase());
    any = true;
  }
  return {
    allows: (host, addresses) =>
      any &&
      (hosts.has(host.toLowerCase()) ||
        (addresses.length > 0 && addresses.every((a) => nets.check(a, isIP(a) === 4 ? "ipv4" : "ipv6")))),
  };
}

const NOTHING_ALLOWED = importAllowlist([]);

/** How git must be run to reach exactly the checked address. */
export interface PinnedImport {
  /** The URL to fetch (the host replaced by the address where git cannot be told otherwise). */
  url: string;
  /** `git -c` settings. */
  config: string[];
}

/**
 * Resolves `url`'s host once; null (refuse) when it does not resolve or any address is not public. The answer
 * pins git to the first address: `http.curloptResolve` for http(s) (the name stays for TLS and Host), the address
 * in the URL for git:// and ssh (with the name kept as the host key alias), and redirects off.
 */
export async function pinPublicImport(
  url: string,
  allowlist: ImportAllowlist = NOTHING_ALLOWED,
): Promise<PinnedImport | null> {
  const target = importTarget(url);
  if (!target) return null;
  const addresses = await addressesOf(target.host);
  if (addresses.length === 0) return null;
  if (addresses.some(isBlockedAddress) && !allowlist.allows(target.host, addresses)) return null;
  const address = addresses[0]!;
  const literal = isIP(address) === 6 ? `[${address}]` : address;
  const config = ["http.followRedirects=false"];
  if (target.scheme === "http" || target.scheme === "https") {
    if (!isIP(target.host)) config.push(`http.curloptResolve=${target.host}:${target.port}:${literal}`);
    // git and curl get the URL as parsed here, so that no parser reads another host out of it.
    return { url: new URL(url).toString(), config };
  }
  if ((target.scheme === "ssh" || target.scheme === "scp") && !isIP(target.host)) {
    config.push(`core.sshCommand=ssh -o HostKeyAlias=${target.host}`);
  }
  return { url: replaceHost(url, target, literal), config };
}

function replaceHost(url: string, target: Target, literal: string): string {
  if (target.scheme === "scp") return url.replace(`@${target.host}:`, `@${literal}:`);
  const parsed = new URL(url);
  parsed.hostname = literal;
  return parsed.toString();
}

/**
 * The check when `import_url` is set: a non-admin's network URL whose host resolves now to an address that is not
 * public is refused, unless the allowlist names it (a name that does not resolve yet is left to the check at fetch
 * time).
 */
export async function importUrlProblem(
  url: string,
  admin: boolean,
  allowlist: ImportAllowlist = NOTHING_ALLOWED,
): Promise<string | null> {
  if (admin) return null;
  const target = importTarget(url);
  if (!target) return null;
  const addresses = await addressesOf(target.host);
  const blocked = addresses.some(isBlockedAddress) && !allowlist.allows(target.host, addresses);
  return blocked ? "could not be imported" : null;
}
