// A job's log bytes that the store could not keep (disk full, database error): the writer resyncs, the job fails.

/** Thrown at the next append after bytes of the job's log were dropped; `committed` is where the log ends now. */
export class TraceLost extends Error {
  constructor(
    message: string,
    /** The log's length as stored: the next append goes here. */
    readonly committed: number,
    /** The cause was a full disk (SQLITE_FULL, ENOSPC). */
    readonly diskFull: boolean,
  ) {
    super(message);
    this.name = "TraceLost";
  }
}

/** Whether `error` says the disk (or the database's file system) is full. */
export function isDiskFull(error: unknown): boolean {
  const e = error as { code?: unknown; errno?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (e.code === "SQLITE_FULL" || e.code === "ENOSPC") return true;
  return typeof e.message === "string" && /database or disk is full|no space left on device/i.test(e.message);
}
