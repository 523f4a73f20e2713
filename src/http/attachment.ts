// Sends bytes as a download (Content-Disposition: attachment) under a file name safe to quote in the header.
import type { Context } from "hono";

/** The last segment of `path`, with quotes, backslashes and line breaks made `_`. */
export const attachmentName = (path: string) =>
  path
    .split("/")
    .pop()
    ?.replace(/["\\\r\n]/g, "_") ?? "file";

/** A 200 response with `bytes` to be saved as `fileName` (already safe, see attachmentName). */
export const attachmentResponse = (
  c: Context,
  bytes: Uint8Array,
  fileName: string,
  type = "application/octet-stream",
) =>
  c.body(new Uint8Array(bytes), 200, {
    "Content-Type": type,
    "Content-Disposition": `attachment; filename="${fileName}"`,
  });
