// Reads an expression (`rules:if`, `only:variables`) from the configuration, reporting GitLab's syntax error.

import { ExpressionSyntaxError } from "../expression/lexer.ts";
import { type Expr, parseExpression } from "../expression/parser.ts";
import type { YNode } from "../yaml/tree.ts";
import { type At, fail, stringOf } from "./check.ts";

/** The parsed expression, or undefined after reporting `<where> <name> invalid expression syntax`. */
export function readExpression(a: At, node: YNode, name: string): Expr | undefined {
  const text = stringOf(node);
  if (text !== undefined) {
    try {
      return parseExpression(text);
    } catch (e) {
      if (!(e instanceof ExpressionSyntaxError)) throw e;
    }
  }
  return fail(a, node, `${name} invalid expression syntax`);
}
