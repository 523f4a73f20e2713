import { describe, expect, test } from "bun:test";
import type { PayloadVariable } from "./coordinator.ts";
import { expandValue, expandVariables, slugify } from "./variables.ts";

const v = (key: string, value: string, extra: Partial<PayloadVariable> = {}): PayloadVariable => ({
  key,
  value,
  masked: false,
  raw: false,
  ...extra,
});
const asMap = (vars: { key: string; value: string }[]) => Object.fromEntries(vars.map((x) => [x.key, x.value]));

describe("expandValue", () => {
  const lookup = (name: string) => (({ A: "alpha", B: "$A", EMPTY: "" }) as Record<string, string>)[name];

  test("expands $NAME and ${NAME}, unknown names to nothing", () => {
    expect(expandValue("x-$A-${A}y-$NOPE-${NOPE}", lookup)).toBe("x-alpha-alphay--");
  });
  test("a name ends at the first character that is not [A-Za-z0-9_]", () => {
    expect(expandValue("$A.txt $A_x", lookup)).toBe("alpha.txt ");
  });
  test("$$ is a literal dollar; a lone or trailing $ stays", () => {
    expect(expandValue("cost $$5, $ sign, end$", lookup)).toBe("cost $5, $ sign, end$");
  });
  test("shell specials expand to nothing, bad ${ forms are dropped", () => {
    expect(expandValue("[$1][$?][${*}][${}][${A", lookup)).toBe("[][][][][A");
  });
  test("one level only: a looked-up value is not expanded again", () => {
    expect(expandValue("$B", lookup)).toBe("$A");
  });
});

describe("expandVariables", () => {
  test("a later key wins and keeps the place of its first appearance", () => {
    const out = expandVariables([v("X", "global"), v("Y", "y"), v("X", "job")]);
    expect(out.map((x) => x.key)).toEqual(["X", "Y"]);
    expect(asMap(out)).toEqual({ X: "job", Y: "y" });
  });

  test("references see the winning value of any key, defined earlier or later", () => {
    const out = asMap(
      expandVariables([v("URL", "https://$HOST/$PATH_PART"), v("HOST", "a"), v("HOST", "b"), v("PATH_PART", "p")]),
    );
    expect(out.URL).toBe("https://b/p");
  });

  test("raw values (expand: false) stay literal", () => {
    const out = asMap(expandVariables([v("HOST", "h"), v("LIT", "$HOST and $$", { raw: true })]));
    expect(out.LIT).toBe("$HOST and $$");
  });

  test("runner-defined variables have the lowest precedence and can be referenced", () => {
    const out = asMap(
      expandVariables(
        [v("OUT", "$CI_PROJECT_DIR/out"), v("CI_BUILDS_DIR", "/mine")],
        [
          { key: "CI_PROJECT_DIR", value: "/b/0/g/p" },
          { key: "CI_BUILDS_DIR", value: "/b" },
        ],
      ),
    );
    expect(out).toEqual({ CI_PROJECT_DIR: "/b/0/g/p", CI_BUILDS_DIR: "/mine", OUT: "/b/0/g/p/out" });
  });

  test("masked comes from the winning definition", () => {
    const out = expandVariables([v("T", "public"), v("T", "secret-value", { masked: true })]);
    expect(out).toEqual([{ key: "T", value: "secret-value", masked: true }]);
  });
});

describe("slugify", () => {
  test("lowercases and replaces every non [a-z0-9] with a dash", () => {
    expect(slugify("Feature/ÜBER_fix.2")).toBe("feature--ber-fix-2");
  });
  test("trims leading and trailing dashes", () => {
    expect(slugify("--release/1.0--")).toBe("release-1-0");
  });
  test("cuts to 63 characters before trimming", () => {
    const slug = slugify(`${"a".repeat(62)}/b`);
    expect(slug).toBe("a".repeat(62));
    expect(slugify("x".repeat(100)).length).toBe(63);
  });
});
