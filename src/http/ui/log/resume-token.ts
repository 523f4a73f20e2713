// The live log's resume token: where the stream continues (byte offset) and the renderer state there, validated.
import { z } from "zod";
import { type LogRendererState, MAX_SECTION_DEPTH } from "./log-renderer.ts";
import { plainStyle } from "./sgr.ts";

const colour = z.number().int().min(-1).max(255);
const tokenSchema = z.object({
  offset: z.number().int().min(0),
  line: z.number().int().min(1),
  sections: z
    .array(z.object({ name: z.string().regex(/^[a-zA-Z0-9_.-]{1,255}$/), start: z.number().int().min(0) }))
    .max(MAX_SECTION_DEPTH),
  style: z
    .object({
      fg: colour,
      bg: colour,
      bold: z.boolean(),
      faint: z.boolean(),
      italic: z.boolean(),
      underline: z.boolean(),
      strike: z.boolean(),
    })
    .optional(),
});

export interface ResumePoint {
  offset: number;
  state: LogRendererState;
}

export function encodeResumeToken(p: ResumePoint): string {
  const { line, sections, style } = p.state;
  return Buffer.from(JSON.stringify({ offset: p.offset, line, sections, style })).toString("base64url");
}

/** The resume point in `token`, or null when it is not one (tampered, truncated, out of range). */
export function decodeResumeToken(token: string): ResumePoint | null {
  if (token.length > 8192) return null;
  try {
    const parsed = tokenSchema.safeParse(JSON.parse(Buffer.from(token, "base64url").toString("utf8")));
    if (!parsed.success) return null;
    const { offset, line, sections, style } = parsed.data;
    return { offset, state: { line, sections, style: style ?? plainStyle() } };
  } catch {
    return null;
  }
}
