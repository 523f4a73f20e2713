// A job's whole log in a local file, so any part of it can be sent again until the server has stored it.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";

/** Call order: append()* and read()* in any order → dispose() once. */
export class TraceSpool {
  private readonly dir = mkdtempSync(join(tmpdir(), "porthole-trace-"));
  private readonly fd = openSync(join(this.dir, "trace"), "w+", 0o600);
  private crc = 0;
  /** Bytes written so far. */
  size = 0;

  append(bytes: Uint8Array): void {
    let written = 0;
    while (written < bytes.length)
      written += writeSync(this.fd, bytes, written, bytes.length - written, this.size + written);
    this.size += bytes.length;
    this.crc = crc32(bytes, this.crc);
  }

  /** Up to `max` bytes starting at `from`. */
  read(from: number, max: number): Uint8Array {
    const length = Math.max(0, Math.min(max, this.size - from));
    const out = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, out, got, length - got, from + got);
      if (n === 0) break;
      got += n;
    }
    return out.subarray(0, got);
  }

  /** GitLab's `crc32:%08x` over everything appended. */
  checksum(): string {
    return `crc32:${(this.crc >>> 0).toString(16).padStart(8, "0")}`;
  }

  dispose(): void {
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
