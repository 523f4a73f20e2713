// The README stays true: its first lines are the two commands, and it documents every configuration key.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import packageJson from "../package.json" with { type: "json" };
import { CONFIG_KEYS, NON_CONFIG_ENV } from "../src/config/keys.ts";

const readme = readFileSync(join(import.meta.dir, "../README.md"), "utf8");

describe("README.md", () => {
  test("opens with the start and test commands, and both scripts exist", () => {
    const opening = readme.split("\n").slice(0, 6).join("\n");
    expect(opening).toContain("npm install && npm run dev");
    expect(opening).toContain("npm test");
    expect(packageJson.scripts.dev).toContain("src/main.ts serve");
    expect(packageJson.scripts.test).toMatch(/^bun test( |$)/);
  });

  test("has a table row for every configuration key with its variable and flag", () => {
    for (const key of CONFIG_KEYS)
      expect(readme).toContain(`| \`${key.dotted}\` | \`${key.env}\` | \`--${key.flag}\` |`);
  });

  test("names every PORTHOLE_* variable that is not a setting", () => {
    for (const name of NON_CONFIG_ENV) expect(readme).toContain(name);
  });
});
