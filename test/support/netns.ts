// Test hosts: network namespaces joined to the root namespace by veth pairs (10.213.<n>.0/30), made and removed per run.
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";

export interface TestHost {
  /** The namespace's name (`ph<pid><letter>`). */
  ns: string;
  /** The host's own address (inside the namespace). */
  address: string;
  /** The root namespace's address on this host's link: where the host reaches the server. */
  gateway: string;
}

function run(argv: string[]): { code: number; output: string } {
  const res = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
  return { code: res.exitCode ?? 1, output: `${res.stdout.toString()}${res.stderr.toString()}` };
}

function must(argv: string[]): void {
  const res = run(argv);
  if (res.code !== 0) throw new Error(`${argv.join(" ")}: ${res.output.trim()}`);
}

/** Why these tests cannot run here (not root, no `ip netns`), or null when they can. */
export function netnsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return "network namespaces need root";
  if (!Bun.which("ip")) return "the ip command (iproute2) is missing";
  if (!Bun.which("unshare")) return "unshare (util-linux) is missing";
  const probe = `ph${process.pid}p`;
  const made = run(["ip", "netns", "add", probe]);
  if (made.code !== 0) return `ip netns add failed: ${made.output.trim()}`;
  run(["ip", "netns", "del", probe]);
  return null;
}

/** Subnet numbers (the third octet) already used by any address on this machine's root namespace. */
function usedSubnets(): Set<number> {
  const used = new Set<number>();
  for (const m of run(["ip", "-4", "-o", "addr", "show"]).output.matchAll(/inet 10\.213\.(\d+)\./g))
    used.add(Number(m[1]));
  return used;
}

/**
 * `count` hosts, each a namespace with loopback up, one veth to the root namespace and a default route through it.
 * The names carry this process's pid; remove() deletes what was made (safe to call twice).
 */
export function createTestHosts(count: number): { hosts: TestHost[]; remove(): void } {
  const used = usedSubnets();
  const free: number[] = [];
  for (
    let n = (process.pid % 200) + 20, tries = 0;
    free.length < count && tries < 256;
    n = ((n + 1) % 254) + 1, tries++
  ) {
    if (!used.has(n)) free.push(n);
  }
  const made: { ns: string; veth: string }[] = [];
  const remove = () => {
    for (const { ns, veth } of made.splice(0)) {
      run(["ip", "link", "del", veth]);
      run(["ip", "netns", "del", ns]);
      rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
    }
  };
  try {
    const hosts = free.map((n, i) => {
      const ns = `ph${process.pid}${String.fromCharCode(97 + i)}`;
      const veth = `${ns}h`;
      const peer = `${ns}n`;
      const gateway = `10.213.${n}.1`;
      const address = `10.213.${n}.2`;
      must(["ip", "netns", "add", ns]);
      made.push({ ns, veth });
      // `ip netns exec` mounts these over /etc: no DNS server to wait for, and the host's own names resolve (git
      // looks its hostname up for reflog idents; unresolvable, that costs a DNS timeout per command).
      mkdirSync(`/etc/netns/${ns}`, { recursive: true });
      writeFileSync(`/etc/netns/${ns}/resolv.conf`, "");
      writeFileSync(`/etc/netns/${ns}/hosts`, `127.0.0.1 localhost\n::1 localhost\n${address} ${ns}\n`);
      must(["ip", "link", "add", veth, "type", "veth", "peer", "name", peer]);
      must(["ip", "link", "set", peer, "netns", ns]);
      must(["ip", "addr", "add", `${gateway}/30`, "dev", veth]);
      must(["ip", "link", "set", veth, "up"]);
      must(["ip", "netns", "exec", ns, "ip", "addr", "add", `${address}/30`, "dev", peer]);
      must(["ip", "netns", "exec", ns, "ip", "link", "set", peer, "up"]);
      must(["ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"]);
      must(["ip", "netns", "exec", ns, "ip", "route", "add", "default", "via", gateway]);
      return { ns, address, gateway };
    });
    if (hosts.length < count) throw new Error("no free 10.213.<n>.0/30 subnets");
    return { hosts, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * A network blip between `host` and `server` (an address) for `ms`: the route to it is refused (connects fail at
 * once) and the host's open connections to it are cut, as a router losing its state would; then all comes back.
 */
export async function blip(host: TestHost, server: string, ms: number): Promise<void> {
  must(["ip", "netns", "exec", host.ns, "ip", "route", "add", "prohibit", `${server}/32`]);
  must(["ip", "netns", "exec", host.ns, "ss", "-K", "-t", "dst", server]);
  await Bun.sleep(ms);
  must(["ip", "netns", "exec", host.ns, "ip", "route", "del", "prohibit", `${server}/32`]);
}

/**
 * The argv that runs `argv` on `host` with its own hostname (a UTS namespace), as a separate machine would; the
 * name is added to the host's /etc/hosts.
 */
export function onHost(host: TestHost, hostname: string, argv: string[]): string[] {
  appendFileSync(`/etc/netns/${host.ns}/hosts`, `${host.address} ${hostname}\n`);
  return [
    "ip",
    "netns",
    "exec",
    host.ns,
    "unshare",
    "--uts",
    "sh",
    "-c",
    'hostname "$0" && exec "$@"',
    hostname,
    ...argv,
  ];
}
