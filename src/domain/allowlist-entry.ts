// What an entry of `limits.import_url_allowlist` may be: a host name, an IP address or a CIDR range.
import { isIP } from "node:net";

/** Why `entry` is not a host name, an IP address or a CIDR range; null when it is one. */
export function allowlistEntryProblem(entry: string): string | null {
  const [address, bits, extra] = entry.split("/");
  if (extra === undefined && bits !== undefined) {
    const family = isIP(address ?? "");
    const max = family === 4 ? 32 : 128;
    return family && /^\d{1,3}$/.test(bits) && Number(bits) <= max ? null : "is not a valid CIDR range";
  }
  if (extra !== undefined) return "is not a valid CIDR range";
  return isIP(entry) || /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(entry)
    ? null
    : "is not a host name, an IP address or a CIDR range";
}
