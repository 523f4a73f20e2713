// A cache on the runner's disk: `tar` compressed with `zstd` (gzip when zstd is missing), written atomically.
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";

export const ZSTD = Bun.which("zstd") !== null;
/** The file name a new cache gets; restore also reads the other kind. */
export const CACHE_FILE = ZSTD ? "cache.tar.zst" : "cache.tar.gz";
export const CACHE_FILES = ["cache.tar.zst", "cache.tar.gz"] as const;

async function runTar(args: string[], input?: string): Promise<void> {
  const proc = Bun.spawn(["tar", ...args], {
    stdin: input === undefined ? "ignore" : new TextEncoder().encode(input),
    stdout: "ignore",
    stderr: "pipe",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" },
  });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`tar exited with code ${code}: ${stderr.trim().split("\n").slice(-2).join("; ")}`);
}

const compression = (file: string) => (file.endsWith(".zst") ? "--zstd" : "--gzip");

/**
 * Archives exactly `paths` (relative to `projectDir`, parents first) into `file`. tar stores links as links and
 * never descends (`--no-recursion`); the archive is written beside `file` and renamed, so a reader never sees half.
 */
export async function writeArchive(projectDir: string, paths: readonly string[], file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.${crypto.randomUUID()}.partial`;
  try {
    const list = paths.map((p) => `${p}\0`).join("");
    await runTar(
      [
        compression(file),
        "-c",
        "-f",
        partial,
        "-C",
        projectDir,
        "--no-recursion",
        "--null",
        "--verbatim-files-from",
        "-T",
        "-",
      ],
      list,
    );
    await rename(partial, file);
    // The other kind, from a runner that had (or lacked) zstd, would otherwise be found first or go stale.
    for (const other of CACHE_FILES) if (!file.endsWith(other)) await rm(join(dirname(file), other), { force: true });
  } finally {
    await rm(partial, { force: true });
  }
}

/**
 * Extracts `file` into `projectDir` with GNU tar's guards: members with `..` or a leading `/` are refused or
 * made relative, links from the archive are created last (none can redirect a later member), a link already in
 * the project dir where the archive has a directory is replaced, and files get the runner's owner, not the archive's
 * (so tar also drops set-user-ID and set-group-ID bits).
 */
export async function extractArchive(file: string, projectDir: string): Promise<void> {
  await runTar([compression(file), "-x", "-f", file, "-C", projectDir, "--no-same-owner"]);
}
