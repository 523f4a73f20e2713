// Regular expressions written as `/pattern/flags`, run with RE2 (linear time) as GitLab does, never with backtracking.
import { RE2JS } from "re2js";

/** A compiled `/pattern/flags` literal. */
export interface SafeRegex {
  /** The text between the slashes, as written. */
  source: string;
  flags: string;
  /** Whether the pattern matches anywhere in `text`. */
  test(text: string): boolean;
}

const LITERAL = /^\/(.*)\/([ismU]*)$/s;
/** Compiled literals, shared by all compilations (templates repeat the same rules in every job). */
const cache = new Map<string, SafeRegex | null>();
const CACHE_LIMIT = 1000;
const CACHED_LENGTH = 1000;

/** Whether `text` is written as a regular expression literal (`/.../flags`), valid or not. */
export function looksLikeRegex(text: string): boolean {
  return LITERAL.test(text);
}

/**
 * Compiles `/pattern/flags` (GitLab's `UntrustedRegexp::RubySyntax`): flags i, m, s and U become inline RE2 flags.
 * Returns `null` when `text` is not such a literal or RE2 rejects the pattern.
 */
export function compileRegex(text: string): SafeRegex | null {
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const compiled = compile(text);
  if (text.length > CACHED_LENGTH) return compiled;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, compiled);
  return compiled;
}

function compile(text: string): SafeRegex | null {
  const match = LITERAL.exec(text);
  if (!match) return null;
  const source = match[1]!;
  const flags = match[2]!;
  try {
    const re = RE2JS.compile(flags ? `(?${flags})${source}` : source);
    return { source, flags, test: (input) => re.matcher(input).find() };
  } catch {
    return null;
  }
}
