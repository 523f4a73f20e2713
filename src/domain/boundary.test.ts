// domain/ is the shared vocabulary: it must import nothing of ours outside itself (issue 9, item 9).
import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

test("no module in src/domain imports from another part of porthole", () => {
  const dir = import.meta.dir;
  const outside: string[] = [];
  for (const file of readdirSync(dir).filter((f) => /\.tsx?$/.test(f))) {
    const text = readFileSync(join(dir, file), "utf8");
    for (const [, spec] of text.matchAll(/(?:from\s+|import\()\s*"([^"]+)"/g)) {
      if (spec!.startsWith("../")) outside.push(`${file}: ${spec}`);
    }
  }
  expect(outside).toEqual([]);
});
