// chownTree: everything below the folder changes owner; what a link points at does not.
import { afterEach, expect, test } from "bun:test";
import { lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chownTree } from "./hand-over.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

test.skipIf(process.getuid?.() !== 0)("hands over the tree, links themselves, never what they point at", async () => {
  const root = mkdtempSync(join(tmpdir(), "porthole-chown-"));
  dirs.push(root);
  const outside = join(root, "outside");
  const project = join(root, "project");
  mkdirSync(join(outside, "deep"), { recursive: true });
  writeFileSync(join(outside, "deep", "file"), "not the job's");
  mkdirSync(join(project, "src"), { recursive: true });
  writeFileSync(join(project, "src", "main.c"), "int main;");
  symlinkSync(outside, join(project, "link-to-dir"));
  symlinkSync(join(outside, "deep", "file"), join(project, "src", "link-to-file"));

  await chownTree(project, 65534, 65534);

  for (const path of ["", "src", "src/main.c"]) expect(statSync(join(project, path)).uid).toBe(65534);
  expect(lstatSync(join(project, "link-to-dir")).uid).toBe(65534);
  expect(lstatSync(join(project, "src", "link-to-file")).uid).toBe(65534);
  for (const path of ["", "deep", "deep/file"]) expect(statSync(join(outside, path)).uid).toBe(0);
});
