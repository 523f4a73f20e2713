// The server's part of each cache key: the clear index, then GitLab's protected / non_protected suffix.
import { expect, test } from "bun:test";
import type { CacheSpec } from "../pipeline/types.ts";
import { payloadCaches } from "./job-caches.ts";

const spec = (unprotect: boolean): CacheSpec => ({
  key: "deps",
  paths: ["vendor/"],
  untracked: false,
  policy: "pull-push",
  when: "on_success",
  fallbackKeys: [],
  unprotect,
});

test("protected and unprotected refs get separate caches unless unprotect; a clear adds the index first", () => {
  expect(payloadCaches([spec(false)], 0, true)[0]!.keySuffix).toBe("-protected");
  expect(payloadCaches([spec(false)], 0, false)[0]!.keySuffix).toBe("-non_protected");
  // unprotect: the protected ref shares the unprotected cache; an unprotected ref never reaches `-protected`.
  expect(payloadCaches([spec(true)], 0, true)[0]!.keySuffix).toBe("-non_protected");
  expect(payloadCaches([spec(true)], 0, false)[0]!.keySuffix).toBe("-non_protected");
  expect(payloadCaches([spec(false)], 3, true)[0]!.keySuffix).toBe("-3-protected");
  expect(payloadCaches([spec(true)], 2, true)[0]!.keySuffix).toBe("-2-non_protected");
  expect(payloadCaches([spec(true)], 2, true)[0]).not.toHaveProperty("unprotect");
});
