// Evaluates a parsed CI expression against variables with GitLab's (Ruby's) semantics.
import type { Expr } from "./parser.ts";
import { compileRegex, type SafeRegex } from "./regex.ts";

type Value = string | boolean | null | SafeRegex;

const truthy = (v: Value): boolean => v !== null && v !== false;

/**
 * Whether `expr` holds for `variables`: GitLab's `Statement#truthful?` — the result is present
 * (not null, not false, not a blank string). An unset variable is `null`.
 */
export function evaluateExpression(expr: Expr, variables: Readonly<Record<string, string>>): boolean {
  const result = evaluate(expr, variables);
  return typeof result === "string" ? result.trim() !== "" : truthy(result);
}

function evaluate(expr: Expr, variables: Readonly<Record<string, string>>): Value {
  switch (expr.kind) {
    case "variable":
      return Object.hasOwn(variables, expr.name) ? variables[expr.name]! : null;
    case "string":
      return expr.value;
    case "null":
      return null;
    case "pattern":
      return expr.regex;
    case "binary": {
      const left = evaluate(expr.left, variables);
      switch (expr.operator) {
        case "&&":
          return truthy(left) ? evaluate(expr.right, variables) : left;
        case "||":
          return truthy(left) ? left : evaluate(expr.right, variables);
        case "==":
          return same(left, evaluate(expr.right, variables));
        case "!=":
          return !same(left, evaluate(expr.right, variables));
        case "=~":
          return matches(left, evaluate(expr.right, variables), false);
        case "!~":
          return matches(left, evaluate(expr.right, variables), true);
      }
    }
  }
}

function same(a: Value, b: Value): boolean {
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    return a.source === b.source && a.flags === b.flags;
  }
  return a === b;
}

/**
 * `=~` / `!~`: a right side holding `/re/` (literal or variable) is a regular expression; any other string
 * is searched for the left text as GitLab's `String#scan` does; a missing right side never matches.
 */
function matches(left: Value, right: Value, negate: boolean): boolean {
  if (!truthy(right) || right === true) return negate;
  const text = typeof left === "string" ? left : typeof left === "boolean" ? String(left) : "";
  const regex = typeof right === "string" ? compileRegex(right) : (right as SafeRegex);
  const found = regex ? regex.test(text) : (right as string).includes(text);
  return negate ? !found : found;
}
