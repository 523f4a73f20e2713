import { describe, expect, test } from "bun:test";
import { configSchema } from "../config/schema.ts";
import { importAllowlist, importTarget, importUrlProblem, isBlockedAddress, pinPublicImport } from "./import-target.ts";

describe("import_url targets", () => {
  test("loopback, private, link-local, unique-local, unspecified, multicast and mapped forms are blocked", () => {
    const blocked = [
      "127.0.0.1",
      "127.255.0.9",
      "10.0.0.1",
      "172.16.5.5",
      "192.168.0.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::",
      "::1",
      "fe80::1",
      "fd12:3456::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::ffff:10.0.0.1",
      "64:ff9b::a00:1",
      "not-an-address",
    ];
    const open = ["8.8.8.8", "93.184.215.14", "2001:4860:4860::8888", "::ffff:8.8.8.8"];
    expect(blocked.filter((a) => !isBlockedAddress(a))).toEqual([]);
    expect(open.filter(isBlockedAddress)).toEqual([]);
  });

  test("the host and port of every network form; none for local paths", () => {
    expect(importTarget("https://u:p@git.example.com/x.git")).toEqual({
      scheme: "https",
      host: "git.example.com",
      port: 443,
    });
    expect(importTarget("http://[::1]:8080/x.git")).toEqual({ scheme: "http", host: "::1", port: 8080 });
    expect(importTarget("http://2130706433/x")).toEqual({ scheme: "http", host: "127.0.0.1", port: 80 });
    expect(importTarget("git://h/x")).toEqual({ scheme: "git", host: "h", port: 9418 });
    expect(importTarget("ssh://git@h:2222/x")).toEqual({ scheme: "ssh", host: "h", port: 2222 });
    expect(importTarget("git@h.example:group/x.git")).toEqual({ scheme: "scp", host: "h.example", port: 22 });
    expect(importTarget("/srv/repo")).toBeNull();
    expect(importTarget("file:///srv/repo")).toBeNull();
  });

  test("a public address is pinned with redirects off; a blocked one is refused", async () => {
    expect(await pinPublicImport("http://93.184.215.14/x.git")).toEqual({
      url: "http://93.184.215.14/x.git",
      config: ["http.followRedirects=false"],
    });
    expect(await pinPublicImport("git@93.184.215.14:x.git")).toEqual({
      url: "git@93.184.215.14:x.git",
      config: ["http.followRedirects=false"],
    });
    expect(await pinPublicImport("http://127.0.0.1:9/x.git")).toBeNull();
    expect(await pinPublicImport("http://localhost:9/x.git")).toBeNull();
    expect(await importUrlProblem("http://localhost:9/x.git", false)).toBe("could not be imported");
    expect(await importUrlProblem("http://localhost:9/x.git", true)).toBeNull();
  });

  test("git honours http.curloptResolve: it connects to the given address without looking the name up", async () => {
    const hosts: (string | null)[] = [];
    const server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch(req) {
        hosts.push(req.headers.get("host"));
        return new Response("none", { status: 404 });
      },
    });
    try {
      const git = Bun.spawn(
        [
          "git",
          "-c",
          `http.curloptResolve=pinned.invalid:${server.port}:127.0.0.1`,
          "ls-remote",
          `http://pinned.invalid:${server.port}/x.git`,
        ],
        { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", GIT_TERMINAL_PROMPT: "0", HOME: "/" }, stderr: "pipe" },
      );
      await git.exited;
      expect(hosts[0]).toBe(`pinned.invalid:${server.port}`);
    } finally {
      server.stop(true);
    }
  });

  test("limits.import_url_allowlist lets named private hosts and ranges through, still pinned", async () => {
    const allow = importAllowlist(["10.0.0.0/8", "git.internal", "127.0.0.1"]);
    expect(allow.allows("git.internal", ["192.168.0.5"])).toBe(true);
    expect(allow.allows("other", ["10.2.3.4"])).toBe(true);
    expect(allow.allows("other", ["10.2.3.4", "192.168.0.5"])).toBe(false);
    expect(await pinPublicImport("http://127.0.0.1:9/x.git", allow)).toEqual({
      url: "http://127.0.0.1:9/x.git",
      config: ["http.followRedirects=false"],
    });
    expect(await importUrlProblem("http://127.0.0.2:9/x.git", false, allow)).toBe("could not be imported");
    const parse = (list: string[]) => configSchema.safeParse({ limits: { import_url_allowlist: list } }).success;
    expect(parse(["10.0.0.0/8", "fd00::/8", "git.internal", "192.168.1.7"])).toBe(true);
    expect(parse(["10.0.0.0/33"])).toBe(false);
    expect(parse(["http://git.internal"])).toBe(false);
  });
});
