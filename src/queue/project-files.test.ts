// Which CI files compile on the main thread (they name other projects, components or remote files), and which
// tag `~latest` names.
import { describe, expect, test } from "bun:test";
import { latestVersion, namesExternalIncludes } from "./project-files.ts";

describe("namesExternalIncludes", () => {
  test("files naming projects, components or remote URLs compile where those can be read; others on the pool", () => {
    for (const text of [
      "include: https://example.com/ci.yml\n",
      "include: ['https://example.com/ci.yml']\n",
      "include:\n  - 'https://example.com/ci.yml'\n",
      "include:\n  - {remote: 'https://example.com/ci.yml'}\n",
      "include:\n  - component: $CI_SERVER_FQDN/a/b/c@1\n",
      "include: {project: a/b, file: c.yml}\n",
    ])
      expect([text, namesExternalIncludes(text)]).toEqual([text, true]);
    for (const text of [
      "deploy:\n  script: curl https://example.com\n  environment: {url: https://example.com}\n",
      "variables:\n  CI_PROJECT: x\n",
    ])
      expect([text, namesExternalIncludes(text)]).toEqual([text, false]);
  });
});

describe("latestVersion", () => {
  test("the newest release tag by semantic version; pre-releases and other tags left out", () => {
    expect(latestVersion(["1.9.2", "1.10.0", "v1.2.0", "2.0.0-rc.1", "nightly"])).toBe("1.10.0");
    expect(latestVersion(["v3.0.0", "2.5.1"])).toBe("v3.0.0");
    expect(latestVersion(["main", "nightly"])).toBeNull();
    expect(latestVersion(["1.2.0", "1.2.5", "1.10.1", "2.0.0"], "1")).toBe("1.10.1");
    expect(latestVersion(["1.2.0", "1.2.5", "1.10.1", "2.0.0"], "1.2")).toBe("1.2.5");
    expect(latestVersion(["1.2.0"], "3")).toBeNull();
  });
});
