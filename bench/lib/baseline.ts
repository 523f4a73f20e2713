// Another commit's source tree in a temp dir (git archive, node_modules linked), to bench before/after in one run.
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./server.ts";

export interface SourceTree {
  root: string;
  remove(): void;
}

/** Exports `commit` (anything git rev-parse accepts) of this repository; throws naming it when git fails. */
export function exportCommit(commit: string): SourceTree {
  const root = mkdtempSync(join(tmpdir(), "porthole-baseline-"));
  const archive = Bun.spawnSync(["sh", "-c", 'git archive "$1" | tar -x -C "$2"', "sh", commit, root], {
    cwd: REPO_ROOT,
  });
  if (archive.exitCode !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`git archive ${commit} failed: ${archive.stderr.toString().trim()}`);
  }
  symlinkSync(join(REPO_ROOT, "node_modules"), join(root, "node_modules"));
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
