// docs/ stays true: the files it names exist, its links resolve, and code comments point into docs/, not outside.
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..");
const DOCS = join(ROOT, "docs");
const pages = readdirSync(DOCS).filter((f) => f.endsWith(".md"));
const read = (path: string) => readFileSync(path, "utf8");

function sourceFiles(): string[] {
  const glob = new Bun.Glob("{src,test,bench,web}/**/*.{ts,tsx}");
  return [...glob.scanSync(ROOT)];
}

describe("docs/", () => {
  test("has the architecture, both protocols, the configuration and the security model", () => {
    for (const page of [
      "architecture.md",
      "terminal-protocol.md",
      "runner-protocol.md",
      "configuration.md",
      "security-model.md",
    ])
      expect(pages).toContain(page);
  });

  test("every code path a page names in backticks exists (under the repository or src/)", () => {
    const missing: string[] = [];
    for (const page of pages) {
      for (const [, path] of read(join(DOCS, page)).matchAll(/`((?:[\w.-]+\/)+[\w.-]+\.(?:ts|tsx|md|awk|sh))`/g)) {
        if (!existsSync(join(ROOT, path!)) && !existsSync(join(ROOT, "src", path!))) missing.push(`${page}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test("every relative link between pages resolves", () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const [, target] of read(join(DOCS, page)).matchAll(/\]\(([^)#:]+)(?:#[^)]*)?\)/g)) {
        if (!existsSync(join(DOCS, target!))) broken.push(`${page} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  test("code comments name pages that exist, and no design document outside the repository", () => {
    const problems: string[] = [];
    for (const file of sourceFiles()) {
      if (file === "test/docs.test.ts") continue;
      const comments = read(join(ROOT, file))
        .split("\n")
        .filter((line) => /^\s*(\/\/|\*|\/\*)/.test(line))
        .join("\n");
      if (comments.includes("shared/design")) problems.push(`${file}: names shared/design (outside the repository)`);
      for (const [, page] of comments.matchAll(/docs\/([\w.-]+\.md)/g))
        if (!existsSync(join(DOCS, page!))) problems.push(`${file}: names docs/${page}, which does not exist`);
    }
    expect(problems).toEqual([]);
  });
});
