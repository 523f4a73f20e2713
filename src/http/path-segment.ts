// Decodes a percent-encoded URL path segment without throwing on a malformed one (`%zz`, a cut UTF-8 sequence).

/** The decoded segment, or null when its percent-encoding is malformed (the caller answers 404). */
export function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
