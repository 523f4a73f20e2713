import { describe, expect, test } from "bun:test";
import { configSchema } from "../../config/schema.ts";
import { containerLimits, engineAddress, imageAllowed, memoryBytes } from "./settings.ts";

const docker = (over: object) => configSchema.parse({ docker: over }).docker;

describe("engine address", () => {
  test("unix and tcp hosts, DOCKER_HOST, the default socket", () => {
    expect(engineAddress("unix:///run/x.sock")).toMatchObject({ options: { socketPath: "/run/x.sock" }, local: true });
    expect(engineAddress("tcp://10.0.0.5:2375")).toMatchObject({
      options: { host: "10.0.0.5", port: 2375 },
      local: false,
    });
    expect(engineAddress("", { DOCKER_HOST: "tcp://h:1" }).display).toBe("tcp://h:1");
    expect(engineAddress("", {}).options).toEqual({ socketPath: "/var/run/docker.sock" });
  });

  test("bad hosts are refused with the setting named", () => {
    expect(() => engineAddress("ssh://me@host")).toThrow('[docker] host "ssh://me@host": expected unix://');
    expect(() => engineAddress("tcp://nohost")).toThrow("expected tcp://host:port");
    expect(() => engineAddress("", { DOCKER_HOST: "unix://rel.sock" })).toThrow('DOCKER_HOST "unix://rel.sock"');
  });
});

describe("limits", () => {
  test("memory in Docker's notation", () => {
    expect(memoryBytes("512m")).toBe(512 * 1024 ** 2);
    expect(memoryBytes("1.5GB")).toBe(1.5 * 1024 ** 3);
    expect(memoryBytes("8388608")).toBe(8388608);
    expect(() => memoryBytes("lots")).toThrow('[docker] memory "lots"');
    expect(() => memoryBytes("1k")).toThrow("at least 6m");
  });

  test("volumes split into binds and anonymous volumes; cpus and memory set limits", () => {
    const limits = containerLimits(docker({ volumes: ["/cache", "/srv/data:/data:ro"], cpus: 1.5, memory: "256m" }));
    expect(limits).toEqual({
      Privileged: false,
      Binds: ["/srv/data:/data:ro"],
      Volumes: { "/cache": {} },
      NanoCpus: 1_500_000_000,
      Memory: 256 * 1024 ** 2,
    });
    expect(() => containerLimits(docker({ volumes: ["/a::/b"] }))).toThrow('[docker] volumes "/a::/b"');
  });
});

describe("allowed_images", () => {
  test("globs match within a path segment; ** crosses segments; empty allows all", () => {
    expect(imageAllowed("anything:1", [])).toBe(true);
    expect(imageAllowed("ruby:3.3", ["ruby:*", "python:*"])).toBe(true);
    expect(imageAllowed("evil/ruby:3", ["ruby:*"])).toBe(false);
    expect(imageAllowed("porthole-test/busybox", ["porthole-test/*"])).toBe(true);
    expect(imageAllowed("registry.local/a/b:1", ["registry.local/**"])).toBe(true);
  });
});
