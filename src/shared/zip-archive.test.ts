// The zips porthole writes are read right by another implementation (Python's zipfile): contents, CRCs, unix modes.
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readZip, writeZip } from "./zip-archive.ts";

const PYTHON_READER = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    bad = z.testzip()
    if bad: sys.exit("bad CRC in " + bad)
    for i in z.infolist():
        print(i.filename, oct(i.external_attr >> 16), i.compress_type, len(z.read(i)))
`;

test("Python's zipfile checks every CRC and reads the contents, methods and unix modes", () => {
  const text = new TextEncoder().encode("module.exports = 42;\n".repeat(200));
  const random = crypto.getRandomValues(new Uint8Array(4096));
  const zip = writeZip([
    { path: "out", mode: 0o755, data: new Uint8Array(0), dir: true },
    { path: "out/run.sh", mode: 0o755, data: text },
    { path: "out/blob.bin", mode: 0o600, data: random },
    { path: "out/empty", mode: 0o644, data: new Uint8Array(0) },
  ]);
  const dir = mkdtempSync(join(tmpdir(), "porthole-zip-"));
  try {
    writeFileSync(join(dir, "a.zip"), zip);
    const run = Bun.spawnSync(["python3", "-c", PYTHON_READER, join(dir, "a.zip")]);
    expect(run.stderr.toString()).toBe("");
    expect(run.stdout.toString().trim().split("\n")).toEqual([
      "out/ 0o40755 0 0",
      `out/run.sh 0o100755 8 ${text.length}`,
      "out/blob.bin 0o100600 0 4096",
      "out/empty 0o100644 0 0",
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const back = readZip(zip, { maxFiles: 10, maxBytes: 1e6 });
  expect(back.find((e) => e.path === "out/run.sh")?.data).toEqual(text);
  expect(back.find((e) => e.path === "out/blob.bin")?.data).toEqual(random);
});
