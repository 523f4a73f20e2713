// Which files a cache's `paths` name: globs and folders as GitLab matches them, parents first, never through links.
import { afterEach, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cachePaths } from "./cache-paths.ts";

let dir = "";
afterEach(() => rm(dir, { recursive: true, force: true }));

async function tree(files: string[]) {
  dir = await mkdtemp(join(tmpdir(), "porthole-cache-paths-"));
  for (const file of files) {
    await mkdir(join(dir, file, ".."), { recursive: true });
    await writeFile(join(dir, file), file);
  }
}
const lines: string[] = [];
const report = { info: (l: string) => lines.push(l), warning: (l: string) => lines.push(`WARNING: ${l}`) };

test("a folder brings everything below it, dot files too; globs match across folders with **", async () => {
  await tree(["vendor/a.js", "vendor/.hidden", "vendor/sub/b.js", "src/c.js", "src/d.txt", "top.js"]);
  expect(await cachePaths(dir, ["vendor/"], [], report)).toEqual([
    "vendor",
    "vendor/.hidden",
    "vendor/a.js",
    "vendor/sub",
    "vendor/sub/b.js",
  ]);
  expect(await cachePaths(dir, ["**/*.js"], [], report)).toEqual([
    "src",
    "src/c.js",
    "top.js",
    "vendor",
    "vendor/a.js",
    "vendor/sub",
    "vendor/sub/b.js",
  ]);
  expect(await cachePaths(dir, ["src/*.txt", "./top.js"], [], report)).toEqual(["src", "src/d.txt", "top.js"]);
  await mkdir(join(dir, ".git"));
  expect((await cachePaths(dir, ["."], [], report)).filter((p) => !p.includes("/"))).toEqual([
    "src",
    "top.js",
    "vendor",
  ]);
});

test("a glob never descends through a link, and a path through one matches nothing", async () => {
  await tree(["inside/a.js"]);
  const outside = await mkdtemp(join(tmpdir(), "porthole-cache-outside-"));
  try {
    await writeFile(join(outside, "secret.js"), "secret");
    await symlink(outside, join(dir, "link"));
    lines.length = 0;
    expect(await cachePaths(dir, ["**/*.js"], [], report)).toEqual(["inside", "inside/a.js"]);
    expect(await cachePaths(dir, ["link/secret.js", "link/*.js"], [], report)).toEqual([]);
    expect(lines.filter((l) => l.startsWith("WARNING"))).toHaveLength(2);
    // The link itself may be cached (as a link).
    expect(await cachePaths(dir, ["link"], [], report)).toEqual(["link"]);
  } finally {
    await rm(outside, { recursive: true, force: true });
  }
});
