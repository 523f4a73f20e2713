// Who may read /-/health, /-/readiness, /-/liveness and /-/metrics: loopback or `monitoring.ip_whitelist`.

import { BlockList, isIPv4 } from "node:net";
import type { MiddlewareHandler } from "hono";
import { type ApiEnv, clientIp } from "../env.ts";

/** A BlockList (used as an allow-list) of CIDR ranges such as `10.0.0.0/8` or `::1/128`; a bare address is one host. */
export function allowList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = "", bits] = cidr.split("/");
    const type = isIPv4(address) ? "ipv4" : "ipv6";
    list.addSubnet(address, bits === undefined ? (type === "ipv4" ? 32 : 128) : Number(bits), type);
  }
  return list;
}

/** Whether `ip` (IPv4, IPv6 or IPv4-mapped IPv6) is in `list`. */
export function isAllowed(list: BlockList, ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped) return list.check(mapped, "ipv4");
  return list.check(ip, isIPv4(ip) ? "ipv4" : "ipv6");
}

/** Answers 404 (as GitLab does) to callers outside the list; a request without a socket address is refused too. */
export function monitoringOnly(cidrs: readonly string[]): MiddlewareHandler<ApiEnv> {
  const list = allowList(cidrs);
  return async (c, next) => {
    const ip = clientIp(c);
    if (!ip || !isAllowed(list, ip)) return c.json({ message: "404 Not Found" }, 404);
    await next();
  };
}
