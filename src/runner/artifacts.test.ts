// Collecting and unpacking artifacts on real folders: limits, escapes through `..` and symlinks, zip bombs.
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
  chownSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync } from "fflate";
import type { PayloadArtifact } from "../domain/artifacts.ts";
import { readZip, writeZip, ZipRefused } from "../shared/zip-archive.ts";
import { collectArtifacts } from "./artifacts-collect.ts";
import { unpackArtifacts } from "./artifacts-unpack.ts";

const LIMITS = { maxFiles: 100, maxBytes: 1_000_000 };
let dir: string;
let project: string;
let outside: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "porthole-artifacts-"));
  project = join(dir, "project");
  outside = join(dir, "outside");
  mkdirSync(project);
  mkdirSync(outside);
  writeFileSync(join(outside, "secret.txt"), "server secret");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const archive = (paths: string[], exclude: string[] = []): PayloadArtifact => ({
  type: "archive",
  paths,
  exclude,
  untracked: false,
  when: "on_success",
});
const names = (zip: Uint8Array | null) =>
  zip
    ? readZip(zip, LIMITS)
        .map((e) => e.path)
        .sort()
    : [];

describe("collectArtifacts", () => {
  test("globs, directories and exclude as GitLab matches them; modes kept", () => {
    mkdirSync(join(project, "out/deep"), { recursive: true });
    writeFileSync(join(project, "out/a.txt"), "a");
    writeFileSync(join(project, "out/deep/b.txt"), "b");
    writeFileSync(join(project, "out/deep/skip.o"), "o");
    writeFileSync(join(project, "top.txt"), "t");
    writeFileSync(join(project, "tool"), "#!/bin/sh\n", { mode: 0o755 });
    const got = collectArtifacts(project, archive(["out/", "*.txt", "tool"], ["out/**/*.o"]), [], LIMITS);
    expect(names(got.zip)).toEqual(["out", "out/a.txt", "out/deep", "out/deep/b.txt", "tool", "top.txt"]);
    const tool = readZip(got.zip!, LIMITS).find((e) => e.path === "tool")!;
    expect(tool.mode).toBe(0o755);
  });

  test("a symlink to a file or a directory outside is never read, however it is named", () => {
    mkdirSync(join(project, "out"));
    symlinkSync(join(outside, "secret.txt"), join(project, "out/secret.txt"));
    symlinkSync(outside, join(project, "out/dir"));
    symlinkSync(outside, join(project, "linked"));
    const got = collectArtifacts(
      project,
      archive(["out/", "linked/secret.txt", "linked", "**/secret.txt"]),
      [],
      LIMITS,
    );
    expect(got.zip === null || !new TextDecoder().decode(got.zip).includes("server secret")).toBe(true);
    expect(names(got.zip)).toEqual(["out"]);
    expect(got.lines.some((l) => l.warning && l.text.includes("symbolic link"))).toBe(true);
  });

  // Needs root to hand the project dir to another user.
  test.skipIf(process.getuid?.() !== 0)(
    "a hard link to a file of another owner than the project dir's is not collected",
    () => {
      chownSync(project, 65534, 65534);
      linkSync(join(outside, "secret.txt"), join(project, "secret.txt"));
      writeFileSync(join(project, "mine.txt"), "mine");
      chownSync(join(project, "mine.txt"), 65534, 65534);
      const got = collectArtifacts(project, archive(["*.txt"]), [], LIMITS);
      expect(names(got.zip)).toEqual(["mine.txt"]);
    },
  );

  test("a project dir that is itself reached through a symlink still never yields outside files", () => {
    const linkedProject = join(dir, "via-link");
    symlinkSync(project, linkedProject);
    writeFileSync(join(project, "ok.txt"), "ok");
    const got = collectArtifacts(linkedProject, archive(["ok.txt", "../outside/secret.txt"]), [], LIMITS);
    expect(names(got.zip)).toEqual(["ok.txt"]);
    expect(got.lines.find((l) => l.text.startsWith("../outside"))?.text).toContain(
      "not a subpath of project directory",
    );
  });

  test("over the file count or the byte limit: no archive, a message naming the setting", () => {
    for (let i = 0; i < 5; i++) writeFileSync(join(project, `f${i}`), "x".repeat(100));
    const many = collectArtifacts(project, archive(["f*"]), [], { maxFiles: 3, maxBytes: 1_000_000 });
    expect(many.zip).toBeNull();
    expect(many.overLimit).toContain("artifacts.max_files");
    const big = collectArtifacts(project, archive(["f*"]), [], { maxFiles: 100, maxBytes: 250 });
    expect(big.zip).toBeNull();
    expect(big.overLimit).toContain("artifacts.max_size");
  });

  test("a missing path gets GitLab's warning", () => {
    const got = collectArtifacts(project, archive(["nothing/"]), [], LIMITS);
    expect(got.zip).toBeNull();
    expect(got.lines[0]).toEqual({
      warning: true,
      text: `nothing/: no matching files. Ensure that the artifact path is relative to the working directory (${project})`,
    });
  });
});

describe("unpackArtifacts", () => {
  const file = (path: string, text: string) => ({ path, mode: 0o644, data: new TextEncoder().encode(text) });

  test("files land in the project dir with their modes", () => {
    const zip = writeZip([{ path: "bin/run", mode: 0o755, data: new TextEncoder().encode("#!/bin/sh\n") }]);
    expect(unpackArtifacts(project, zip, LIMITS)).toEqual({ files: 1, skipped: [] });
    expect(statSync(join(project, "bin/run")).mode & 0o777).toBe(0o755);
  });

  test("entries with .. or absolute paths are skipped", () => {
    const zip = zipSync({
      "../outside/secret.txt": new TextEncoder().encode("overwritten"),
      "/tmp/abs.txt": new TextEncoder().encode("abs"),
      "a/../../escape.txt": new TextEncoder().encode("escape"),
      "fine.txt": new TextEncoder().encode("fine"),
    });
    const result = unpackArtifacts(project, zip, LIMITS);
    expect(result.files).toBe(1);
    expect(result.skipped).toHaveLength(3);
    expect(readFileSync(join(outside, "secret.txt"), "utf8")).toBe("server secret");
    expect(existsSync(join(dir, "escape.txt"))).toBe(false);
  });

  test("a symlink the checkout (or an earlier job) left in the project dir is never written through", () => {
    symlinkSync(outside, join(project, "out"));
    symlinkSync(join(outside, "secret.txt"), join(project, "secret.txt"));
    const zip = writeZip([file("out/secret.txt", "overwritten"), file("secret.txt", "overwritten")]);
    const result = unpackArtifacts(project, zip, LIMITS);
    expect(result.files).toBe(0);
    expect(result.skipped).toHaveLength(2);
    expect(readFileSync(join(outside, "secret.txt"), "utf8")).toBe("server secret");
  });

  test("a hard link to an outside file is replaced, not written through", () => {
    linkSync(join(outside, "secret.txt"), join(project, "secret.txt"));
    unpackArtifacts(project, writeZip([file("secret.txt", "new")]), LIMITS);
    expect(readFileSync(join(project, "secret.txt"), "utf8")).toBe("new");
    expect(readFileSync(join(outside, "secret.txt"), "utf8")).toBe("server secret");
  });

  test("a zip bomb is refused before anything is written", () => {
    const bomb = zipSync({ "zeros.bin": new Uint8Array(5_000_000) }, { level: 9 });
    expect(bomb.length).toBeLessThan(20_000);
    expect(() => unpackArtifacts(project, bomb, LIMITS)).toThrow(ZipRefused);
    expect(existsSync(join(project, "zeros.bin"))).toBe(false);
    const many = zipSync(Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`f${i}`, new Uint8Array(1)])));
    expect(() => unpackArtifacts(project, many, LIMITS)).toThrow("more than 100 entries");
  });

  test("a header that understates the size cannot inflate past it", () => {
    const zip = zipSync({ "z.bin": new Uint8Array(2_000_000) }, { level: 9 });
    // Patch the declared uncompressed size (local header at 22, central directory at 24) down to 10 bytes.
    const view = new DataView(zip.buffer);
    view.setUint32(22, 10, true);
    const cd = zip.length - 22 - (46 + "z.bin".length);
    view.setUint32(cd + 24, 10, true);
    let unpacked = -1;
    try {
      const entries = readZip(zip, LIMITS);
      unpacked = entries[0]!.data.length;
    } catch (err) {
      expect(err).toBeInstanceOf(ZipRefused);
    }
    expect(unpacked).toBeLessThanOrEqual(10);
  });

  test("not a zip: a clear refusal", () => {
    expect(() => unpackArtifacts(project, new TextEncoder().encode("not a zip"), LIMITS)).toThrow("not a valid zip");
  });
});
