// Zip archives as GitLab serves artifacts (fflate lays them out, zlib deflates, in memory): write with unix modes, read within limits.
import { type Unzipped, unzipSync, Zip, type ZipInputFile } from "fflate";

/** A file (with its unix permission bits) or a directory (`dir: true`) at a `/`-separated relative path. */
export interface ZipEntry {
  path: string;
  mode: number;
  data: Uint8Array;
  dir?: boolean;
}

/** An archive over the limits (too many entries, or more bytes than allowed once unpacked), or not a zip. */
export class ZipRefused extends Error {
  override name = "ZipRefused";
}

const UNIX = 3;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
/** Zip compression methods (APPNOTE 4.4.5). */
const STORED = 0;
const DEFLATED = 8;

/**
 * Deflate level 1 (gitlab-runner's `ARTIFACT_COMPRESSION_LEVEL=fast`), by Bun's native zlib with its native CRC-32:
 * fflate lays out the archive, but its JS deflate was 11x slower than zlib on build output. An entry that does not
 * shrink is stored, as zip does.
 */
export function writeZip(entries: ZipEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    chunks.push(chunk);
  });
  for (const e of entries) {
    // Read from files, so never a SharedArrayBuffer, which is all the wider type allows beyond what zlib takes.
    const data = (e.dir ? new Uint8Array(0) : e.data) as Uint8Array<ArrayBuffer>;
    const deflated = data.length > 0 ? Bun.deflateSync(data, { level: 1 }) : data;
    const stored = deflated.length >= data.length;
    const kind = e.dir ? S_IFDIR : S_IFREG;
    const file: ZipInputFile = {
      filename: e.dir ? `${e.path}/` : e.path,
      size: data.length,
      crc: Bun.hash.crc32(data),
      compression: stored ? STORED : DEFLATED,
      os: UNIX,
      attrs: ((kind | (e.mode & 0o777)) << 16) >>> 0,
    };
    zip.add(file);
    file.ondata?.(null, stored ? data : deflated, true);
  }
  zip.end();
  return Buffer.concat(chunks);
}

/**
 * Every entry of `bytes`, refusing before inflating when the declared sizes or the count pass the limits (the
 * declared size also bounds what inflating may produce, so a lying header cannot blow up memory).
 */
export function readZip(bytes: Uint8Array, limits: { maxFiles: number; maxBytes: number }): ZipEntry[] {
  let count = 0;
  let total = 0;
  let files: Unzipped;
  try {
    files = unzipSync(bytes, {
      filter(file) {
        count += 1;
        total += file.originalSize;
        if (count > limits.maxFiles) throw new ZipRefused(`the archive has more than ${limits.maxFiles} entries`);
        if (total > limits.maxBytes) throw new ZipRefused(`the archive unpacks to more than ${limits.maxBytes} bytes`);
        return true;
      },
    });
  } catch (err) {
    if (err instanceof ZipRefused) throw err;
    throw new ZipRefused(`the archive is not a valid zip: ${err instanceof Error ? err.message : String(err)}`);
  }
  const modes = unixModes(bytes);
  return Object.entries(files).map(([name, data]) => {
    const mode = modes.get(name) ?? 0;
    const dir = name.endsWith("/") || (mode & 0o170000) === S_IFDIR;
    return { path: name.replace(/\/+$/, ""), data, dir, mode: mode & 0o777 || (dir ? 0o755 : 0o644) };
  });
}

/** The file at `path` in the zip, inflating only that entry (within `maxBytes`); null when it is not there. */
export function readZipFile(bytes: Uint8Array, path: string, maxBytes: number): Uint8Array | null {
  let files: Unzipped;
  try {
    files = unzipSync(bytes, {
      filter(file) {
        if (file.name !== path) return false;
        if (file.originalSize > maxBytes) throw new ZipRefused(`${path} unpacks to more than ${maxBytes} bytes`);
        return true;
      },
    });
  } catch (err) {
    if (err instanceof ZipRefused) throw err;
    throw new ZipRefused(`the archive is not a valid zip: ${err instanceof Error ? err.message : String(err)}`);
  }
  return files[path] ?? null;
}

/** readZipFile, but null also when the zip or the entry is refused (too large, not a zip): "no such file" to a reader. */
export function readZipFileOrNull(bytes: Uint8Array, path: string, maxBytes: number): Uint8Array | null {
  try {
    return readZipFile(bytes, path, maxBytes);
  } catch (err) {
    if (err instanceof ZipRefused) return null;
    throw err;
  }
}

/** The entries' paths, directories with a trailing `/`, without inflating anything. */
export function listZip(bytes: Uint8Array): string[] {
  const names: string[] = [];
  try {
    unzipSync(bytes, {
      filter(file) {
        names.push(file.name);
        return false;
      },
    });
  } catch (err) {
    throw new ZipRefused(`the archive is not a valid zip: ${err instanceof Error ? err.message : String(err)}`);
  }
  return names;
}

/** The unix mode of each entry, from the central directory's external attributes (fflate does not return them). */
function unixModes(bytes: Uint8Array): Map<string, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const modes = new Map<string, number>();
  let end = bytes.length - 22;
  while (end > 0 && view.getUint32(end, true) !== 0x06054b50) end -= 1;
  if (end <= 0) return modes;
  const decoder = new TextDecoder();
  let at = view.getUint32(end + 16, true);
  for (let i = view.getUint16(end + 10, true); i > 0 && at + 46 <= end; i--) {
    if (view.getUint32(at, true) !== 0x02014b50) break;
    const nameLength = view.getUint16(at + 28, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (view.getUint16(at + 4, true) >> 8 === UNIX) modes.set(name, view.getUint32(at + 38, true) >>> 16);
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return modes;
}
