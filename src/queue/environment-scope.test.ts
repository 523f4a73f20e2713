// Project variables with an `environment_scope` reach only jobs of a matching environment, the most specific scope
// winning (GitLab's rule); a production secret never reaches a review job or a job without an environment.
import { expect, test } from "bun:test";
import { scopeMatches } from "../domain/environment-name.ts";
import type { PipelineRow, ProjectRow, VariableRow } from "../store/rows.ts";
import { visibleProjectVariables } from "./job-variables.ts";

const variable = (key: string, value: string, environmentScope: string, extra: Partial<VariableRow> = {}) =>
  ({ key, value, environmentScope, masked: false, raw: false, protected: false, ...extra }) as VariableRow;

const ctx = {
  externalUrl: "https://ci.example.com",
  project: { id: 1, defaultBranch: "main" } as ProjectRow,
  pipeline: { ref: "main", tag: false } as PipelineRow,
  projectVariables: [
    variable("SECRET", "review", "review/*"),
    variable("SECRET", "production", "production"),
    variable("SECRET", "any", "*"),
    variable("DB", "prod-db", "production"),
  ],
};

/** The value a job of `environment` sees for each key (a later entry wins, as in the job's variables). */
const seen = (environment: string | null) =>
  Object.fromEntries(visibleProjectVariables(ctx, environment).map((v) => [v.key, v.value]));

test("scoped project variables reach only jobs of a matching environment, the most specific winning", () => {
  expect(seen(null)).toEqual({ SECRET: "any" });
  expect(seen("review/fix-1")).toEqual({ SECRET: "review" });
  expect(seen("production")).toEqual({ SECRET: "production", DB: "prod-db" });
  expect(seen("staging")).toEqual({ SECRET: "any" });
});

test("scope patterns: * anywhere, the rest literally", () => {
  expect(scopeMatches("*", null)).toBe(true);
  expect(scopeMatches("review/*", "review/a/b")).toBe(true);
  expect(scopeMatches("review/*", "review")).toBe(false);
  expect(scopeMatches("*-eu", "prod-eu")).toBe(true);
  expect(scopeMatches("prod.eu", "prodxeu")).toBe(false);
  expect(scopeMatches("production", null)).toBe(false);
});
