// Splits a `rules:if` / `only:variables` expression into tokens, as GitLab's expression lexer does.

export type Operator = "==" | "!=" | "=~" | "!~" | "&&" | "||";

export type Token =
  | { type: "open" | "close" | "null"; at: number }
  | { type: "variable"; name: string; at: number }
  | { type: "string"; value: string; at: number }
  | { type: "pattern"; literal: string; at: number }
  | { type: "operator"; operator: Operator; at: number };

/** A syntax error in an expression; `at` is the 0-based offset in the expression text. */
export class ExpressionSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
    this.name = "ExpressionSyntaxError";
  }
}

/** GitLab refuses expressions of more tokens than this. */
const MAX_TOKENS = 100;
const OPERATORS: readonly Operator[] = ["==", "=~", "!=", "!~", "&&", "||"];

/** Scanners in GitLab's order; each returns the token and its length at `at`, or null. */
const SCANNERS: ((text: string, at: number) => [Token, number] | null)[] = [
  (t, at) => (t[at] === "(" ? [{ type: "open", at }, 1] : null),
  (t, at) => (t[at] === ")" ? [{ type: "close", at }, 1] : null),
  (t, at) => {
    const m = /^\$(?:(\w+)|\{(\w+)\})/.exec(t.slice(at));
    return m ? [{ type: "variable", name: (m[1] ?? m[2])!, at }, m[0].length] : null;
  },
  (t, at) => {
    const m = /^(?:"([^"]*)"|'([^']*)')/.exec(t.slice(at));
    return m ? [{ type: "string", value: (m[1] ?? m[2])!, at }, m[0].length] : null;
  },
  (t, at) => {
    const m = /^\/(?:\\\/|[^/])+\/[ismU]*/.exec(t.slice(at));
    return m ? [{ type: "pattern", literal: m[0].replace(/\\\//g, "/"), at }, m[0].length] : null;
  },
  (t, at) => (t.startsWith("null", at) ? [{ type: "null", at }, 4] : null),
  (t, at) => {
    const operator = OPERATORS.find((op) => t.startsWith(op, at));
    return operator ? [{ type: "operator", operator, at }, 2] : null;
  },
];

/** The tokens of `text`; throws ExpressionSyntaxError on an unknown lexeme or too many tokens. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  for (;;) {
    while (at < text.length && /\s/.test(text[at]!)) at++;
    if (at >= text.length) return tokens;
    if (tokens.length >= MAX_TOKENS) throw new ExpressionSyntaxError("Too many tokens!", at);
    const scanned = SCANNERS.reduce<[Token, number] | null>((found, scan) => found ?? scan(text, at), null);
    if (!scanned) throw new ExpressionSyntaxError("Unknown lexeme found!", at);
    tokens.push(scanned[0]);
    at += scanned[1];
  }
}
