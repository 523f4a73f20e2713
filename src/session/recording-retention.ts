// Keeps terminal recordings for `terminal.recording_retention` days (a daily cleanup) and totals what is kept.
import { readdir, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Logger } from "../logger.ts";
import { RECORDINGS_DIR } from "./recordings.ts";

const DAY_MS = 86_400_000;

/** Every `.cast` file under `<dataDir>/recordings/` with its size and last write; none when the folder is missing. */
async function recordingFiles(dataDir: string): Promise<{ path: string; bytes: number; writtenAt: number }[]> {
  const folder = resolve(dataDir, RECORDINGS_DIR);
  const names = await readdir(folder).catch(() => [] as string[]);
  const files = await Promise.all(
    names
      .filter((name) => name.endsWith(".cast"))
      .map(async (name) => {
        const path = join(folder, name);
        const info = await stat(path).catch(() => null);
        return info?.isFile() ? { path, bytes: info.size, writtenAt: info.mtimeMs } : null;
      }),
  );
  return files.filter((f) => f !== null);
}

/** How many recordings are kept and their size in bytes (the Admin area shows it). */
export async function recordingsTotal(dataDir: string): Promise<{ files: number; bytes: number }> {
  const files = await recordingFiles(dataDir);
  return { files: files.length, bytes: files.reduce((sum, f) => sum + f.bytes, 0) };
}

/**
 * Removes recordings last written more than `days` days before `now` (a session still open writes its file, so
 * it is never among them); returns how many. `days` 0 keeps everything.
 */
export async function removeOldRecordings(dataDir: string, days: number, now = Date.now()): Promise<number> {
  if (days <= 0) return 0;
  const old = (await recordingFiles(dataDir)).filter((f) => f.writtenAt < now - days * DAY_MS);
  await Promise.all(old.map((f) => rm(f.path, { force: true })));
  return old.length;
}

/** Runs the cleanup now and then once a day until stop(); failures are logged, never thrown. */
export function startRecordingRetention(options: { dataDir: string; days: number; logger: Logger }): { stop(): void } {
  if (options.days <= 0) return { stop: () => {} };
  const run = () =>
    removeOldRecordings(options.dataDir, options.days).then(
      (removed) =>
        removed > 0 && options.logger.info("old terminal recordings removed", { removed, days: options.days }),
      (error: unknown) => options.logger.warn("the terminal recording cleanup failed", { error }),
    );
  void run();
  const timer = setInterval(run, DAY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
