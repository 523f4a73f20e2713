// Cache save and restore of 10,000 small files (200 MB) by the runner, against plain `tar | zstd` on the same disk.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CACHE_FILE, extractArchive, writeArchive, ZSTD } from "../src/runner/cache/cache-archive.ts";
import { cachePaths } from "../src/runner/cache/cache-paths.ts";
import { median, round } from "./lib/stats.ts";
import type { Bench } from "./lib/types.ts";

const FILES = 10_000;
const TOTAL_BYTES = 200 * 1024 * 1024;
const ROUNDS = 3;
const quiet = { info() {}, warning() {} };

/** `vendor/` with FILES files in 100 folders; half of each file random (incompressible), half repeated text. */
async function makeTree(dir: string): Promise<void> {
  const size = Math.floor(TOTAL_BYTES / FILES);
  const text = Buffer.alloc(size / 2, "module.exports = function () { return 42; };\n");
  for (let d = 0; d < 100; d++) {
    const folder = join(dir, "vendor", `pkg-${d}`);
    await mkdir(folder, { recursive: true });
    await Promise.all(
      Array.from({ length: FILES / 100 }, (_, i) =>
        writeFile(
          join(folder, `file-${i}.js`),
          Buffer.concat([crypto.getRandomValues(new Uint8Array(size / 2)), text]),
        ),
      ),
    );
  }
}

async function sh(script: string): Promise<void> {
  const proc = Bun.spawn(["sh", "-c", script], { stdout: "ignore", stderr: "pipe" });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`${script}: ${stderr}`);
}

async function timed(body: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await body();
  return performance.now() - start;
}

const bench: Bench = {
  name: "archive",
  description: `Cache save and restore of ${FILES} files / ${TOTAL_BYTES / 2 ** 20} MB vs plain tar + ${ZSTD ? "zstd" : "gzip"} (${ROUNDS} rounds, median)`,
  async run() {
    const root = await mkdtemp(join(tmpdir(), "porthole-archive-bench-"));
    try {
      const source = join(root, "project");
      await makeTree(source);
      const compress = ZSTD ? "zstd -q" : "gzip -c";
      const decompress = ZSTD ? "zstd -dcq" : "gzip -dc";
      const samples = {
        save: [] as number[],
        restore: [] as number[],
        tarSave: [] as number[],
        tarRestore: [] as number[],
      };
      for (let round = 0; round < ROUNDS; round++) {
        const file = join(root, `cache-${round}`, CACHE_FILE);
        samples.save.push(
          await timed(async () => {
            const paths = await cachePaths(source, ["vendor/"], [], quiet);
            await writeArchive(source, paths, file);
          }),
        );
        const restored = join(root, `restored-${round}`);
        await mkdir(restored);
        samples.restore.push(await timed(() => extractArchive(file, restored)));
        const plain = join(root, `plain-${round}.tar`);
        samples.tarSave.push(await timed(() => sh(`tar -C '${source}' -cf - vendor | ${compress} > '${plain}'`)));
        const plainOut = join(root, `plain-out-${round}`);
        await mkdir(plainOut);
        samples.tarRestore.push(await timed(() => sh(`${decompress} '${plain}' | tar -C '${plainOut}' -xf -`)));
        await Promise.all([rm(restored, { recursive: true }), rm(plainOut, { recursive: true })]);
      }
      const [save, restore, tarSave, tarRestore] = [
        samples.save,
        samples.restore,
        samples.tarSave,
        samples.tarRestore,
      ].map(median) as [number, number, number, number];
      return {
        metrics: [
          { name: "cache save (collect + archive)", value: round(save), unit: "ms" },
          { name: "cache restore (extract)", value: round(restore), unit: "ms" },
          { name: `tar | ${ZSTD ? "zstd" : "gzip"}`, value: round(tarSave), unit: "ms" },
          { name: `${ZSTD ? "zstd -d" : "gzip -d"} | tar -x`, value: round(tarRestore), unit: "ms" },
          { name: "save vs plain tools", value: round(save / tarSave, 2), unit: "×", target: { below: 1.5 } },
          { name: "restore vs plain tools", value: round(restore / tarRestore, 2), unit: "×", target: { below: 1.5 } },
        ],
        notes: [
          `${FILES} files in 100 folders, each half random bytes and half repeated text; one temp dir on one disk.`,
          "Porthole's save lists the paths itself (lstat, no links followed) and hands tar the list with --no-recursion;",
          "restore is GNU tar with --no-same-owner and its delayed-link guard. Artifacts (h-artifacts' zip) are not in this run.",
        ],
      };
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};
export default bench;
