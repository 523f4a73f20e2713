// Replaces secret values with [MASKED] in a byte stream, also when a value is split across chunks.

/** GitLab refuses to mask values shorter than this; shorter ones are logged as they are (and a warning says so). */
export const MIN_MASKED_LENGTH = 8;
const MASK = new TextEncoder().encode("[MASKED]");

/**
 * A streaming masker. Call order: write()* → end() once. Each call hands masked bytes to `emit` in order.
 * Bytes that might be the start of a secret are held back until the next write() or end() decides.
 */
export interface Masker {
  write(bytes: Uint8Array): void;
  end(): void;
}

/** Masks every occurrence of each phrase (UTF-8, at least MIN_MASKED_LENGTH characters; others are ignored). */
export function createMasker(phrases: readonly string[], emit: (bytes: Uint8Array) => void): Masker {
  const needles = [...new Set(phrases.filter((p) => p.length >= MIN_MASKED_LENGTH))]
    .map((p) => Buffer.from(p))
    .sort((a, b) => b.length - a.length);
  if (needles.length === 0) {
    return {
      write: (b) => {
        if (b.length > 0) emit(b);
      },
      end: () => {},
    };
  }
  let held: Buffer = Buffer.alloc(0);

  function firstMatch(data: Buffer, from: number): { at: number; length: number } | null {
    let best: { at: number; length: number } | null = null;
    for (const n of needles) {
      const at = data.indexOf(n, from);
      if (at >= 0 && (best === null || at < best.at)) best = { at, length: n.length };
    }
    return best; // longest first in `needles`, so a tie keeps the longest
  }

  /** Length of the longest tail of `data` (after `from`) that could still grow into a phrase. */
  function pendingTail(data: Buffer, from: number): number {
    const longest = Math.min(needles[0]!.length - 1, data.length - from);
    for (let k = longest; k > 0; k--) {
      const tail = data.subarray(data.length - k);
      if (needles.some((n) => n.length > k && n.subarray(0, k).equals(tail))) return k;
    }
    return 0;
  }

  function process(data: Buffer, final: boolean) {
    const parts: Uint8Array[] = [];
    let pos = 0;
    for (let m = firstMatch(data, pos); m; m = firstMatch(data, pos)) {
      parts.push(data.subarray(pos, m.at), MASK);
      pos = m.at + m.length;
    }
    const keep = final ? 0 : pendingTail(data, pos);
    parts.push(data.subarray(pos, data.length - keep));
    held = Buffer.from(data.subarray(data.length - keep));
    const out = Buffer.concat(parts);
    if (out.length > 0) emit(out);
  }

  return {
    write(bytes) {
      if (bytes.length === 0) return;
      const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      process(held.length > 0 ? Buffer.concat([held, view]) : view, false);
    },
    end() {
      if (held.length > 0) process(held, true);
    },
  };
}

/** `text` with every phrase replaced as the streaming masker does it (for error messages, screens, any string). */
export function maskText(text: string, phrases: readonly string[]): string {
  const parts: Uint8Array[] = [];
  const masker = createMasker(phrases, (bytes) => parts.push(bytes));
  masker.write(new TextEncoder().encode(text));
  masker.end();
  return Buffer.concat(parts).toString();
}
