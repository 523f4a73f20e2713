import { describe, expect, test } from "bun:test";
import { createMasker, maskText } from "./masker.ts";

/** Feeds `chunks` through a masker and returns what came out, plus what had come out before end(). */
function mask(phrases: string[], chunks: string[]) {
  const out: Buffer[] = [];
  const m = createMasker(phrases, (b) => out.push(Buffer.from(b)));
  for (const c of chunks) m.write(Buffer.from(c));
  const beforeEnd = Buffer.concat(out).toString();
  m.end();
  return { text: Buffer.concat(out).toString(), beforeEnd };
}

describe("masker", () => {
  test("replaces every occurrence of a secret", () => {
    expect(mask(["s3cr3t-value"], ["a s3cr3t-value b s3cr3t-value\n"]).text).toBe("a [MASKED] b [MASKED]\n");
  });

  test("a secret split across chunks at every possible point is masked", () => {
    const secret = "p4ssw0rd-XYZ";
    const line = `token=${secret};\n`;
    for (let cut = 1; cut < line.length; cut++) {
      expect(mask([secret], [line.slice(0, cut), line.slice(cut)]).text).toBe("token=[MASKED];\n");
    }
  });

  test("a secret dribbled one byte per chunk is masked", () => {
    const secret = "abcdefgh-123";
    expect(mask([secret], [...`<${secret}>`]).text).toBe("<[MASKED]>");
  });

  test("output that cannot start a secret is passed on at once, a possible start is held until decided", () => {
    const r = mask(["SECRETVALUE"], ["plain output\n", "then SEC"]);
    expect(r.beforeEnd).toBe("plain output\nthen ");
    expect(r.text).toBe("plain output\nthen SEC");
  });

  test("overlapping secrets: the earliest wins, at the same place the longest", () => {
    expect(mask(["12345678", "1234567890"], ["x1234567890y"]).text).toBe("x[MASKED]y");
    expect(mask(["abcdefgh", "defghijk"], ["abcdefghijk"]).text).toBe("[MASKED]ijk");
  });

  test("values shorter than 8 characters are not masked (GitLab refuses to mask them)", () => {
    expect(mask(["short"], ["a short one"]).text).toBe("a short one");
  });

  test("multi-byte UTF-8 secrets split inside a character are masked", () => {
    const secret = "pässwörd-ünïcode";
    const bytes = Buffer.from(`[${secret}]`);
    const out: Buffer[] = [];
    const m = createMasker([secret], (b) => out.push(Buffer.from(b)));
    m.write(bytes.subarray(0, 3));
    m.write(bytes.subarray(3));
    m.end();
    expect(Buffer.concat(out).toString()).toBe("[[MASKED]]");
  });
});

describe("maskText", () => {
  test("replaces every phrase in a string, longest first, and leaves short ones", () => {
    const text = "Local file `cfg/topsecret-long.yml` and topsecret and abc";
    expect(maskText(text, ["topsecret", "topsecret-long", "abc"])).toBe(
      "Local file `cfg/[MASKED].yml` and [MASKED] and abc",
    );
    expect(maskText("nothing here", [])).toBe("nothing here");
  });
});
