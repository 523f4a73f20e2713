// Cache save/restore and artifact collect/unpack of 10,000 small files (200 MB) by the runner, against the plain
// tools on the same disk: `tar | zstd` for caches, `zip -1` / `unzip` for artifacts (GitLab's artifacts are zips).
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PayloadArtifact } from "../src/domain/artifacts.ts";
import { collectArtifacts } from "../src/runner/artifacts-collect.ts";
import { unpackArtifacts } from "../src/runner/artifacts-unpack.ts";
import { CACHE_FILE, extractArchive, writeArchive, ZSTD } from "../src/runner/cache/cache-archive.ts";
import { cachePaths } from "../src/runner/cache/cache-paths.ts";
import { median, round } from "./lib/stats.ts";
import type { Bench } from "./lib/types.ts";

const FILES = 10_000;
const TOTAL_BYTES = 200 * 1024 * 1024;
const ROUNDS = 3;
const quiet = { info() {}, warning() {} };
/** Limits far above the tree, so the bench measures the work and not a refusal. */
const NO_LIMITS = { maxFiles: FILES * 2, maxBytes: TOTAL_BYTES * 4 };
const ARTIFACT: PayloadArtifact = {
  type: "archive",
  paths: ["vendor/"],
  exclude: [],
  untracked: false,
  when: "on_success",
};

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
  description: `Cache save/restore and artifact collect/unpack of ${FILES} files / ${TOTAL_BYTES / 2 ** 20} MB vs tar + ${ZSTD ? "zstd" : "gzip"} and zip/unzip (${ROUNDS} rounds, median)`,
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
        collect: [] as number[],
        unpack: [] as number[],
        zip: [] as number[],
        unzip: [] as number[],
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
        // Artifacts: the runner's collect (match, read inside the project dir, zip at level 1) and unpack.
        const zipFile = join(root, `artifacts-${round}.zip`);
        samples.collect.push(
          await timed(async () => {
            const collected = collectArtifacts(source, ARTIFACT, [], NO_LIMITS);
            if (!collected.zip) throw new Error("nothing collected");
            await writeFile(zipFile, collected.zip);
          }),
        );
        const unpacked = join(root, `unpacked-${round}`);
        await mkdir(unpacked);
        samples.unpack.push(
          await timed(async () => {
            unpackArtifacts(unpacked, new Uint8Array(await Bun.file(zipFile).arrayBuffer()), NO_LIMITS);
          }),
        );
        const plainZip = join(root, `plain-${round}.zip`);
        samples.zip.push(await timed(() => sh(`cd '${source}' && zip -1 -qr '${plainZip}' vendor`)));
        const plainUnzipped = join(root, `plain-unzipped-${round}`);
        samples.unzip.push(await timed(() => sh(`unzip -q '${plainZip}' -d '${plainUnzipped}'`)));
        await Promise.all(
          [restored, plainOut, unpacked, plainUnzipped].map((dir) => rm(dir, { recursive: true, force: true })),
        );
      }
      const [save, restore, tarSave, tarRestore, collect, unpack, zip, unzip] = [
        samples.save,
        samples.restore,
        samples.tarSave,
        samples.tarRestore,
        samples.collect,
        samples.unpack,
        samples.zip,
        samples.unzip,
      ].map(median) as [number, number, number, number, number, number, number, number];
      return {
        metrics: [
          { name: "cache save (collect + archive)", value: round(save), unit: "ms" },
          { name: "cache restore (extract)", value: round(restore), unit: "ms" },
          { name: `tar | ${ZSTD ? "zstd" : "gzip"}`, value: round(tarSave), unit: "ms" },
          { name: `${ZSTD ? "zstd -d" : "gzip -d"} | tar -x`, value: round(tarRestore), unit: "ms" },
          { name: "save vs plain tools", value: round(save / tarSave, 2), unit: "×", target: { below: 1.5 } },
          { name: "restore vs plain tools", value: round(restore / tarRestore, 2), unit: "×", target: { below: 1.5 } },
          { name: "artifacts collect (match + zip)", value: round(collect), unit: "ms" },
          { name: "artifacts unpack", value: round(unpack), unit: "ms" },
          { name: "zip -1 -qr", value: round(zip), unit: "ms" },
          { name: "unzip -q", value: round(unzip), unit: "ms" },
          { name: "collect vs zip", value: round(collect / zip, 2), unit: "×", target: { below: 1.5 } },
          { name: "unpack vs unzip", value: round(unpack / unzip, 2), unit: "×", target: { below: 1.5 } },
        ],
        notes: [
          `${FILES} files in 100 folders, each half random bytes and half repeated text; one temp dir on one disk.`,
          "Porthole's save lists the paths itself (lstat, no links followed) and hands tar the list with --no-recursion;",
          "restore is GNU tar with --no-same-owner and its delayed-link guard. Artifacts: zlib deflate level 1 in fflate's zip layout",
          "(gitlab-runner's `fast`), every file read through the inside-the-project check, against Info-ZIP's zip -1.",
        ],
      };
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};
export default bench;
