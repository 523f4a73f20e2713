import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../logger.ts";
import { recordingsTotal, removeOldRecordings, startRecordingRetention } from "./recording-retention.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A data_dir with recordings last written `ages` days ago (and a file that is not a recording). */
function dataDirWith(ages: Record<string, number>): string {
  const dir = mkdtempSync(join(tmpdir(), "porthole-retention-"));
  dirs.push(dir);
  mkdirSync(join(dir, "recordings"));
  for (const [name, days] of Object.entries(ages)) {
    const file = join(dir, "recordings", name);
    writeFileSync(file, "x".repeat(100));
    const at = new Date(Date.now() - days * 86_400_000);
    utimesSync(file, at, at);
  }
  writeFileSync(join(dir, "recordings", "notes.txt"), "not a recording");
  return dir;
}

test("recordings older than the retention go, newer ones and other files stay; the total counts what is kept", async () => {
  const dir = dataDirWith({ "job-1-1.cast": 40, "job-2-1.cast": 29, "job-3-1.cast": 0 });
  expect(await recordingsTotal(dir)).toEqual({ files: 3, bytes: 300 });
  expect(await removeOldRecordings(dir, 30)).toBe(1);
  expect(existsSync(join(dir, "recordings", "job-1-1.cast"))).toBe(false);
  expect(existsSync(join(dir, "recordings", "job-2-1.cast"))).toBe(true);
  expect(existsSync(join(dir, "recordings", "notes.txt"))).toBe(true);
  expect(await recordingsTotal(dir)).toEqual({ files: 2, bytes: 200 });
});

test("a retention of 0 keeps everything; a data_dir without recordings totals zero", async () => {
  const dir = dataDirWith({ "job-1-1.cast": 4000 });
  expect(await removeOldRecordings(dir, 0)).toBe(0);
  expect(await recordingsTotal(dir)).toEqual({ files: 1, bytes: 100 });
  expect(await recordingsTotal(join(dir, "nowhere"))).toEqual({ files: 0, bytes: 0 });
});

test("the cleanup runs at start (then daily) and says what it removed", async () => {
  const dir = dataDirWith({ "job-1-1.cast": 10, "job-2-1.cast": 1 });
  const lines: string[] = [];
  const logger = createLogger({ level: "info", write: (line) => lines.push(line) });
  const retention = startRecordingRetention({ dataDir: dir, days: 7, logger });
  try {
    for (let i = 0; i < 100 && existsSync(join(dir, "recordings", "job-1-1.cast")); i++) await Bun.sleep(10);
    expect(existsSync(join(dir, "recordings", "job-1-1.cast"))).toBe(false);
    expect(existsSync(join(dir, "recordings", "job-2-1.cast"))).toBe(true);
    await Bun.sleep(10);
    expect(lines.join("\n")).toContain("old terminal recordings removed");
  } finally {
    retention.stop();
  }
});
