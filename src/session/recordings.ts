// Where session recordings live under data_dir: naming a new one, opening it, and finding one again for download.
import { existsSync } from "node:fs";
import { resolve, sep } from "node:path";
import type { Logger } from "../logger.ts";
import { type SessionRecording, startRecording } from "./recorder.ts";

/** `[terminal] max_recording_bytes` and the data_dir the `recordings/` folder sits in. */
export interface RecordingSettings {
  dataDir: string;
  /** 0 turns recording off. */
  maxBytes: number;
}

export const RECORDINGS_DIR = "recordings";

/**
 * Starts the recording of a job's `n`-th session as `recordings/job-<jobId>-<n>.cast`. Returns null when recording
 * is off, or when the file cannot be made (reported to `logger`: the terminal opens all the same).
 */
export async function openSessionRecording(
  settings: RecordingSettings | undefined,
  session: { jobId: number; n: number; size: { cols: number; rows: number }; secrets: readonly string[] },
  logger: Logger,
): Promise<{ path: string; recorder: SessionRecording } | null> {
  if (!settings || settings.maxBytes <= 0) return null;
  const path = `${RECORDINGS_DIR}/job-${session.jobId}-${session.n}.cast`;
  try {
    const recorder = await startRecording({
      path: resolve(settings.dataDir, path),
      size: session.size,
      maxBytes: settings.maxBytes,
      secrets: session.secrets,
      logger,
    });
    return { path, recorder };
  } catch (error) {
    logger.warn("the terminal is not recorded", { job: session.jobId, error });
    return null;
  }
}

/** Whether a stored recording path still has its file (the retention cleanup removes old ones). */
export function recordingKept(dataDir: string, path: string): boolean {
  const file = recordingFile(dataDir, path);
  return file !== null && existsSync(file);
}

/** The absolute file of a stored recording path, or null when the path points outside `recordings/`. */
export function recordingFile(dataDir: string, path: string): string | null {
  const folder = resolve(dataDir, RECORDINGS_DIR);
  const file = resolve(dataDir, path);
  return file.startsWith(folder + sep) ? file : null;
}
