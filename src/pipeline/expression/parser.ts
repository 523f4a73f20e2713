// Parses GitLab's CI expression language (`$VAR == "x" && $REF =~ /re/`) into a tree by recursive descent.

import { ExpressionSyntaxError, type Operator, type Token, tokenize } from "./lexer.ts";
import { compileRegex, type SafeRegex } from "./regex.ts";

export type Expr =
  | { kind: "variable"; name: string }
  | { kind: "string"; value: string }
  | { kind: "pattern"; regex: SafeRegex }
  | { kind: "null" }
  | { kind: "binary"; operator: Operator; left: Expr; right: Expr };

const COMPARISONS: ReadonlySet<Operator> = new Set(["==", "!=", "=~", "!~"]);

/**
 * Parses `text`. `&&` binds tighter than `||`, comparisons tighter than both; all are left-associative.
 * Throws ExpressionSyntaxError (with the offset) for anything GitLab would call "invalid expression syntax".
 */
export function parseExpression(text: string): Expr {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new ExpressionSyntaxError("Empty expression", 0);
  let next = 0;
  const peek = (): Token | undefined => tokens[next];
  const fail = (what: string): never => {
    throw new ExpressionSyntaxError(what, peek()?.at ?? text.length);
  };

  const binary = (operand: () => Expr, accepts: (op: Operator) => boolean) => (): Expr => {
    let left = operand();
    for (let token = peek(); token?.type === "operator" && accepts(token.operator); token = peek()) {
      next++;
      left = { kind: "binary", operator: token.operator, left, right: operand() };
    }
    return left;
  };

  const primary = (): Expr => {
    const token = peek();
    if (!token) return fail("Unexpected end of expression");
    next++;
    switch (token.type) {
      case "open": {
        const inner = or();
        if (peek()?.type !== "close") fail("Unmatched parenthesis");
        next++;
        return inner;
      }
      case "variable":
        return { kind: "variable", name: token.name };
      case "string":
        return { kind: "string", value: token.value };
      case "null":
        return { kind: "null" };
      case "pattern": {
        const regex = compileRegex(token.literal);
        if (!regex) throw new ExpressionSyntaxError("Invalid regular expression!", token.at);
        return { kind: "pattern", regex };
      }
      default:
        next--;
        return fail("Unexpected token");
    }
  };

  const comparison = binary(primary, (op) => COMPARISONS.has(op));
  const and = binary(comparison, (op) => op === "&&");
  const or: () => Expr = binary(and, (op) => op === "||");

  const tree = or();
  if (next < tokens.length) fail("Unexpected token");
  return tree;
}
