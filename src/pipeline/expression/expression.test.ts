import { describe, expect, test } from "bun:test";
import { evaluateExpression } from "./evaluate.ts";
import { ExpressionSyntaxError } from "./lexer.ts";
import { parseExpression } from "./parser.ts";

const vars = {
  BRANCH: "main",
  EMPTY: "",
  SPACES: "  ",
  FEATURE: "feature/login",
  RE: "/^feat/",
  PLAIN: "feature/login-page",
  MSG: "fix: crash [skip tests]",
};
const holds = (text: string, variables: Record<string, string> = vars) =>
  evaluateExpression(parseExpression(text), variables);

describe("CI expressions: evaluation", () => {
  test.each([
    ['$BRANCH == "main"', true],
    ["$BRANCH == 'main'", true],
    ['$BRANCH != "main"', false],
    ['"main" == $BRANCH', true],
    ["$UNSET == null", true],
    ["$EMPTY == null", false],
    ['$EMPTY == ""', true],
    ["$BRANCH", true],
    ["${BRANCH}", true],
    ["$UNSET", false],
    ["$EMPTY", false],
    ["$SPACES", false],
    ["$FEATURE =~ /^feature\\//", true],
    ["$FEATURE =~ /^FEATURE/i", true],
    ["$FEATURE =~ /^FEATURE/", false],
    ["$FEATURE !~ /^main$/", true],
    ["$UNSET =~ /.*/", true],
    ["$FEATURE =~ $RE", true],
    ["$FEATURE =~ $PLAIN", true],
    ["$FEATURE =~ $UNSET", false],
    ["$FEATURE !~ $UNSET", true],
    ["$MSG =~ /\\[skip tests\\]/", true],
    ['$BRANCH == "x" || $BRANCH == "main"', true],
    ['$BRANCH == "main" && $UNSET', false],
    ['$BRANCH == "x" && $UNSET || $FEATURE', true],
    ['$BRANCH == "x" && ($UNSET || $FEATURE)', false],
    ['($BRANCH == "main" || $UNSET) && $FEATURE =~ /login/', true],
    ["$EMPTY || $BRANCH", false],
    ['$BRANCH == "main" == $UNSET', false],
  ])("%s is %p", (text, expected) => {
    expect(holds(text)).toBe(expected);
  });

  test("matching runs in linear time (RE2), even for a pattern that makes backtracking engines hang", () => {
    const evil = { TEXT: `${"a".repeat(5000)}!` };
    // A backtracking engine would not return before the test's timeout; RE2 answers at once.
    expect(holds("$TEXT =~ /^(a+)+$/", evil)).toBe(false);
  });
});

describe("CI expressions: syntax errors", () => {
  test.each([
    "",
    "$A ==",
    '$A = "x"',
    "($A == 'x'",
    "$A == 'x')",
    "$A 'x'",
    "&& $A",
    "$A =~ /(unclosed/",
    "$A =~ /(?=lookahead)/",
    "!$A",
    '$A == "x" and $B',
    Array(60).fill("$A").join(" || "),
  ])("%p is refused", (text) => {
    expect(() => parseExpression(text)).toThrow(ExpressionSyntaxError);
  });

  test("the error says where", () => {
    try {
      parseExpression('$A == "x" @ $B');
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(ExpressionSyntaxError);
      expect((e as ExpressionSyntaxError).at).toBe(10);
    }
  });
});
